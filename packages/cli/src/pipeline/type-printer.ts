import { dirname, join } from 'node:path'
import type * as TS from 'typescript'
import { loadTypeScript } from '../util/load-cached.js'

// The compiler loads with a code cache (a 9 MB file; see util/load-cached).
const ts = loadTypeScript().exports

/**
 * Prints a type so that it means the same thing in a declaration file under `.cloudwerk/`.
 * Types a declaration file can name (globals, packages, types the user exports) are named;
 * types local to a user module cannot be named from outside, so they are written out
 * structurally. `fromGenerated` maps an absolute module path to the import path to use.
 */
export function createTypePrinter(
  checker: TS.TypeChecker,
  fromGenerated: (absPath: string) => string,
  fromPackage: (symbol: TS.Symbol) => string | undefined = () => undefined,
) {
  const MAX_DEPTH = 8

  function isNameable(symbol: TS.Symbol): boolean {
    const decl = symbol.declarations?.[0]
    if (!decl) return true
    const file = decl.getSourceFile()
    // A package's module (not a global declaration file) is named through the package's entry.
    if (file.isDeclarationFile) return !ts.isExternalModule(file) || fromPackage(symbol) !== undefined
    const moduleSymbol = checker.getSymbolAtLocation(file)
    return !!moduleSymbol && checker.getExportsOfModule(moduleSymbol).includes(symbol)
  }

  function nameOf(symbol: TS.Symbol): string {
    const decl = symbol.declarations?.[0]
    const file = decl?.getSourceFile()
    if (file && !file.isDeclarationFile) return `import(${JSON.stringify(fromGenerated(file.fileName))}).${symbol.name}`
    const specifier = file && ts.isExternalModule(file) && fromPackage(symbol)
    if (specifier) return `import(${JSON.stringify(specifier)}).${symbol.name}`
    return checker.symbolToString(symbol, undefined, undefined, ts.SymbolFormatFlags.UseOnlyExternalAliasing)
  }

  function print(type: TS.Type, depth = 0): string {
    if (depth > MAX_DEPTH) return 'any'
    const alias = type.aliasSymbol
    if (alias && isNameable(alias) && !isLocalAnonymous(type)) {
      const args = type.aliasTypeArguments?.map((t) => print(t, depth + 1))
      return nameOf(alias) + (args?.length ? `<${args.join(', ')}>` : '')
    }
    if (type.isUnion()) return printUnion(type, depth)
    if (type.isIntersection()) return type.types.map((t) => wrap(print(t, depth + 1))).join(' & ')
    if (type.flags & ts.TypeFlags.TypeParameter) return 'any'
    if (!(type.flags & ts.TypeFlags.Object)) return checker.typeToString(type, undefined, ts.TypeFormatFlags.NoTruncation)
    if (checker.isArrayType(type)) {
      const [element] = checker.getTypeArguments(type as TS.TypeReference)
      return `${wrap(print(element, depth + 1))}[]`
    }
    if (checker.isTupleType(type)) {
      return `[${checker
        .getTypeArguments(type as TS.TypeReference)
        .map((t) => print(t, depth + 1))
        .join(', ')}]`
    }
    const symbol = type.getSymbol()
    if (symbol && isNameable(symbol) && !isLocalAnonymous(type)) {
      const args = (type as TS.ObjectType).objectFlags & ts.ObjectFlags.Reference ? checker.getTypeArguments(type as TS.TypeReference) : []
      return nameOf(symbol) + (args.length ? `<${args.map((t) => print(t, depth + 1)).join(', ')}>` : '')
    }
    return printStructure(type, depth)
  }

  // Anonymous object types (type literals, inferred object shapes) have no name to use.
  function isLocalAnonymous(type: TS.Type): boolean {
    const symbol = type.getSymbol()
    return !!symbol && (symbol.flags & (ts.SymbolFlags.TypeLiteral | ts.SymbolFlags.ObjectLiteral)) !== 0
  }

  function printUnion(type: TS.UnionType, depth: number): string {
    const parts = type.types.map((t) => print(t, depth + 1))
    const hasTrue = parts.includes('true')
    const hasFalse = parts.includes('false')
    const merged = hasTrue && hasFalse ? ['boolean', ...parts.filter((p) => p !== 'true' && p !== 'false')] : parts
    return merged.map(wrap).join(' | ')
  }

  function printStructure(type: TS.Type, depth: number): string {
    const members: string[] = []
    for (const signature of type.getCallSignatures()) members.push(printSignature(signature, depth))
    for (const info of checker.getIndexInfosOfType(type)) {
      members.push(`[key: ${print(info.keyType, depth + 1)}]: ${print(info.type, depth + 1)}`)
    }
    for (const property of checker.getPropertiesOfType(type)) {
      const optional = property.flags & ts.SymbolFlags.Optional ? '?' : ''
      const propertyType = checker.getNonNullableType(checker.getTypeOfSymbol(property))
      const shown = optional ? propertyType : checker.getTypeOfSymbol(property)
      members.push(`${JSON.stringify(property.name)}${optional}: ${print(shown, depth + 1)}`)
    }
    if (members.length === 1 && type.getCallSignatures().length === 1 && !checker.getPropertiesOfType(type).length) {
      return printSignature(type.getCallSignatures()[0], depth, true)
    }
    return `{ ${members.join('; ')} }`
  }

  /** `(a: T, b?: U) => R` (arrow) or `(a: T, b?: U): R` (member). */
  function printSignature(signature: TS.Signature, depth: number, arrow = false, returns?: string): string {
    const params = signature.getParameters().map((param) => {
      const decl = param.valueDeclaration as TS.ParameterDeclaration | undefined
      const rest = decl?.dotDotDotToken ? '...' : ''
      const optional = !rest && decl && (decl.questionToken || decl.initializer) ? '?' : ''
      let type = checker.getTypeOfSymbol(param)
      if (optional) type = checker.getNonNullableType(type)
      return `${rest}${param.name}${optional}: ${print(type, depth + 1)}`
    })
    const result = returns ?? print(signature.getReturnType(), depth + 1)
    return `(${params.join(', ')})${arrow ? ' => ' : ': '}${result}`
  }

  function wrap(text: string): string {
    return /[|&]|=>/.test(text) ? `(${text})` : text
  }

  /** A method as a stub exposes it: same parameters, the awaited result in a Promise. */
  function printStubMethod(name: string, signature: TS.Signature): string {
    const awaited = checker.getAwaitedType(signature.getReturnType()) ?? signature.getReturnType()
    return `${JSON.stringify(name)}${printSignature(signature, 0, false, `Promise<${print(awaited)}>`)}`
  }

  return { print, printStubMethod }
}

/**
 * For a type declared in a package's declaration module (`ScheduleEntry`, from
 * `@cloudwerk/durable-object`'s dist/types.d.ts): the package name to import it from, when the
 * package's main entry, as the app resolves it, exports that very type. Otherwise undefined (and
 * the printer writes the type out).
 */
export function packageOfExport(program: TS.Program, appFile: string): (symbol: TS.Symbol) => string | undefined {
  const checker = program.getTypeChecker()
  const found = new Map<TS.Symbol, string | undefined>()
  const lookUp = (symbol: TS.Symbol): string | undefined => {
    const file = symbol.declarations?.[0]?.getSourceFile()
    const name = file && packageNameOf(file.fileName)
    if (!name) return undefined
    const resolved = ts.resolveModuleName(name, appFile, program.getCompilerOptions(), ts.sys).resolvedModule
    const entry = resolved && program.getSourceFile(resolved.resolvedFileName)
    const entrySymbol = entry && checker.getSymbolAtLocation(entry)
    const exported = entrySymbol && checker.getExportsOfModule(entrySymbol).find((s) => s.name === symbol.name)
    const target = exported && exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported
    return target === symbol ? name : undefined
  }
  return (symbol) => {
    if (!found.has(symbol)) found.set(symbol, lookUp(symbol))
    return found.get(symbol)
  }
}

/** The `name` of the package.json nearest above `file`. */
function packageNameOf(file: string): string | undefined {
  for (let dir = dirname(file); dir !== dirname(dir); dir = dirname(dir)) {
    const text = ts.sys.readFile(join(dir, 'package.json'))
    if (text !== undefined) return (JSON.parse(text) as { name?: string }).name
  }
  return undefined
}
