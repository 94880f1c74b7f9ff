import { existsSync } from 'node:fs'
import { join, relative } from 'node:path'
import { HANDLER_NAMES } from '@cloudwerk/durable-object/shared/handler-names'
import type * as TS from 'typescript'
import { loadTypeScript } from '../util/load-cached.js'
import { toPosix } from '../util/fs.js'
import type { Manifest } from './manifest.js'
import { createTypePrinter, packageOfExport } from './type-printer.js'
import { GENERATED_DIR } from './generated-paths.js'

// The compiler loads with a code cache (a 9 MB file; see util/load-cached).
const ts = loadTypeScript().exports

export interface ObjectShape {
  /** Stub members, e.g. `"increment"(amount?: number): Promise<number>`. */
  methods: string[]
  /** The handlers the definition has: fetch, alarm, webSocketMessage, ... */
  handlers: string[]
  /** The version of the state's shape (`version`, default 1). */
  version: number
  /** The `migrate` steps, by the version each produces: [2, 3] for 1 -> 2 and 2 -> 3. */
  steps: number[]
  /**
   * What browsers see (`client` in the definition): the synced keys' types as one object type,
   * and the stub members of the browser-callable methods.
   */
  client?: { state: string; methods: string[] }
}

function compilerOptions(root: string): { options: TS.CompilerOptions; declarations: string[] } {
  const configPath = join(root, 'tsconfig.json')
  const defaults: TS.CompilerOptions = {
    strict: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    types: ['@cloudflare/workers-types'],
    skipLibCheck: true,
  }
  if (!existsSync(configPath)) return { options: defaults, declarations: [] }
  const parsed = ts.getParsedCommandLineOfConfigFile(
    configPath,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: () => {},
    },
  )
  // The declaration files the app's tsconfig includes (wrangler types' worker-configuration.d.ts,
  // app/env.d.ts) are roots too: they declare the globals the objects are typed with. Not ours,
  // which are this step's output.
  const declarations = (parsed?.fileNames ?? []).filter(
    (f) => f.endsWith('.d.ts') && !f.startsWith(toPosix(join(root, GENERATED_DIR)) + '/'),
  )
  return { options: { ...(parsed?.options ?? defaults), noEmit: true, skipLibCheck: true }, declarations }
}

/**
 * Reads each object's methods (with their types) and handlers with the TypeScript checker.
 * `others` are object files outside the app (another Worker's, see remote-objects.ts), by the
 * name the app calls them. `modules` receives the source files the program read outside
 * node_modules (the object files, what they import, the tsconfig's declaration files), the inputs
 * of the result.
 */
export function inspectObjects(
  manifest: Manifest,
  others: { name: string; path: string }[] = [],
  modules?: Set<string>,
): Map<string, ObjectShape> {
  const result = new Map<string, ObjectShape>()
  const objects = [...manifest.objects.map((o) => ({ name: o.className, path: join(manifest.root, o.file) })), ...others]
  if (!objects.length) return result
  const generatedDir = join(manifest.root, GENERATED_DIR)
  const files = objects.map((o) => o.path)
  const { options, declarations } = compilerOptions(manifest.root)
  const program = ts.createProgram([...files, ...declarations], options)
  const checker = program.getTypeChecker()
  for (const source of program.getSourceFiles()) {
    if (source.fileName.includes('/node_modules/')) continue
    if (!source.isDeclarationFile || declarations.includes(source.fileName)) modules?.add(source.fileName)
  }
  const printer = createTypePrinter(
    checker,
    (abs) => {
      const path = toPosix(relative(generatedDir, abs)).replace(/\.(d\.)?tsx?$/, '')
      return path.startsWith('.') ? path : `./${path}`
    },
    packageOfExport(program, join(generatedDir, 'types.d.ts')),
  )
  const stubMethods = (methods: TS.Type | undefined) => {
    const lines = new Map<string, string>()
    for (const property of methods ? checker.getPropertiesOfType(methods) : []) {
      const [signature] = checker.getTypeOfSymbol(property).getCallSignatures()
      if (signature) lines.set(property.name, printer.printStubMethod(property.name, signature))
    }
    return lines
  }
  for (const object of objects) {
    const source = program.getSourceFile(object.path)
    const exported = source && defaultExportOf(source, checker)
    if (!exported) continue
    const definition = findDefinition(exported, checker)
    if (definition) {
      const keys = definition.properties.map((p) => p.name?.getText(definition.getSourceFile()) ?? '')
      const methods = definition.properties.find(
        (p): p is TS.PropertyAssignment => ts.isPropertyAssignment(p) && p.name.getText(definition.getSourceFile()) === 'methods',
      )?.initializer
      const lines = stubMethods(methods && checker.getTypeAtLocation(methods))
      const client = readClient(definition, checker, printer.print)
      result.set(object.name, {
        methods: [...lines.values()],
        handlers: HANDLER_NAMES.filter((h) => keys.includes(h)),
        ...readVersioning(checker.getTypeAtLocation(definition), checker),
        ...(client && { client: { state: client.state, methods: client.methods.flatMap((name) => lines.get(name) ?? []) } }),
      })
    } else {
      // Made by a factory, or declared in a package's .d.ts: the value's type is all there is.
      // Its handlers cannot be told from the options type (they are all optional there).
      const type = checker.getTypeOfSymbol(exported)
      const methods = type.getProperty('methods')
      const lines = stubMethods(methods && checker.getNonNullableType(checker.getTypeOfSymbol(methods)))
      result.set(object.name, { methods: [...lines.values()], handlers: [], ...readVersioning(type, checker) })
    }
  }
  return result
}

/**
 * `client: { state: [...], methods: [...] }`, written as literal lists of names. The state type is
 * the one the definition is checked against (explicit `defineDurableObject<State>` or inferred
 * from init), read from the call's resolved signature; only the synced keys are printed.
 */
function readClient(
  definition: TS.ObjectLiteralExpression,
  checker: TS.TypeChecker,
  print: (type: TS.Type) => string,
): { state: string; methods: string[] } | undefined {
  const client = definition.properties.find(
    (p): p is TS.PropertyAssignment => ts.isPropertyAssignment(p) && p.name.getText() === 'client',
  )?.initializer
  if (!client || !ts.isObjectLiteralExpression(client)) return undefined
  const names = (option: string): string[] => {
    const list = client.properties.find(
      (p): p is TS.PropertyAssignment => ts.isPropertyAssignment(p) && p.name.getText() === option,
    )?.initializer
    return list && ts.isArrayLiteralExpression(list) ? list.elements.filter(ts.isStringLiteralLike).map((element) => element.text) : []
  }
  const members: string[] = []
  const state = stateType(definition, checker)
  for (const key of names('state')) {
    const property = state && checker.getPropertyOfType(state, key)
    if (!property) continue
    const optional = property.flags & ts.SymbolFlags.Optional ? '?' : ''
    const type = checker.getTypeOfSymbolAtLocation(property, definition)
    members.push(`${JSON.stringify(key)}${optional}: ${print(optional ? checker.getNonNullableType(type) : type)}`)
  }
  return { state: `{ ${members.join('; ')} }`, methods: names('methods') }
}

/** The State of `defineDurableObject<State>(definition)`: what `init` returns, as the signature was resolved. */
function stateType(definition: TS.ObjectLiteralExpression, checker: TS.TypeChecker): TS.Type | undefined {
  if (!ts.isCallExpression(definition.parent)) return undefined
  const [input] = checker.getResolvedSignature(definition.parent)?.getParameters() ?? []
  const init = input && checker.getPropertyOfType(checker.getTypeOfSymbolAtLocation(input, definition), 'init')
  const [signature] = init ? checker.getNonNullableType(checker.getTypeOfSymbolAtLocation(init, definition)).getCallSignatures() : []
  return signature && (checker.getAwaitedType(signature.getReturnType()) ?? signature.getReturnType())
}

/**
 * `version` and `migrate` as the checker sees them: the version is a number literal type (also
 * when written as a constant), the steps are the properties of migrate's type.
 */
function readVersioning(type: TS.Type, checker: TS.TypeChecker): Pick<ObjectShape, 'version' | 'steps'> {
  const propertyType = (name: string) => {
    const symbol = type.getProperty(name)
    return symbol && checker.getNonNullableType(checker.getTypeOfSymbol(symbol))
  }
  const version = propertyType('version')
  const migrate = propertyType('migrate')
  return {
    version: version?.isNumberLiteral() ? version.value : 1,
    steps: (migrate ? checker.getPropertiesOfType(migrate) : [])
      .map((step) => Number(step.name))
      .filter(Number.isInteger)
      .sort((a, b) => a - b),
  }
}

/** The file's default export, followed through re-exports (`export { default } from '...'`). */
function defaultExportOf(source: TS.SourceFile, checker: TS.TypeChecker): TS.Symbol | undefined {
  const module = checker.getSymbolAtLocation(source)
  const exported = module && checker.getExportsOfModule(module).find((s) => s.escapedName === 'default')
  return exported && resolveAlias(exported, checker)
}

function resolveAlias(symbol: TS.Symbol, checker: TS.TypeChecker): TS.Symbol {
  return symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol
}

/**
 * The object literal of the `defineDurableObject({...})` call the default export is, wherever
 * that call is written: in the file, or in the module a name is imported from. Undefined for a
 * definition a factory returns (its type says what it has).
 */
function findDefinition(exported: TS.Symbol, checker: TS.TypeChecker): TS.ObjectLiteralExpression | undefined {
  let expression = expressionOf(exported.valueDeclaration)
  // Names lead to their declarations (imported names to the other module's), a few steps at most.
  for (let step = 0; expression && step < 8; step++) {
    while (ts.isParenthesizedExpression(expression) || ts.isAsExpression(expression) || ts.isSatisfiesExpression(expression))
      expression = expression.expression
    if (!ts.isIdentifier(expression)) break
    const symbol = checker.getSymbolAtLocation(expression)
    expression = expressionOf(symbol && resolveAlias(symbol, checker).valueDeclaration)
  }
  if (!expression || !ts.isCallExpression(expression)) return undefined
  const callee = checker.getSymbolAtLocation(expression.expression)
  if (!callee || resolveAlias(callee, checker).name !== 'defineDurableObject') return undefined
  const definition = expression.arguments[0]
  return definition && ts.isObjectLiteralExpression(definition) ? definition : undefined
}

function expressionOf(declaration: TS.Declaration | undefined): TS.Expression | undefined {
  if (!declaration) return undefined
  if (ts.isExportAssignment(declaration)) return declaration.expression
  return ts.isVariableDeclaration(declaration) ? declaration.initializer : undefined
}
