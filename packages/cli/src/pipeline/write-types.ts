import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { readText, toPosix, writeIfChanged } from '../util/fs.js'
import { loadTypeScript } from '../util/load-cached.js'
import { installedVersion } from '../util/version.js'
import type { ObjectShape } from './inspect-objects.js'
import type { Manifest } from './manifest.js'
import { findRemoteObjects, type RemoteObject } from './remote-objects.js'
import { generatedPath } from './generated-paths.js'

// The first line of every declaration file written here.
const HEADER = '// generated from app/objects by cloudwerk - do not edit'

/**
 * Writes `.cloudwerk/types.d.ts`: for every object, the stub type callers get from
 * `durableObjects.<Class>`, so a misspelt method or a wrong argument fails `tsc`.
 *
 * Why the compiler API and not just `typeof import(...)`: users write
 * `defineDurableObject<State>({...})`, and TypeScript cannot infer the method table once one type
 * argument is given explicitly (no partial type-argument inference). So the method signatures are
 * read from the object literal with the checker and written out.
 */
export async function writeTypes(manifest: Manifest): Promise<{ file: string; changed: boolean; cached: boolean }> {
  const file = generatedPath(manifest.root, 'types')
  const declarations = join(manifest.root, DECLARATIONS_FILE)
  const hashFile = generatedPath(manifest.root, 'typesHash')
  const remote = findRemoteObjects(manifest.root)
  // The hash file: the hash, then the modules the objects import (their definitions may live there).
  const [known, ...imported] = (readText(hashFile) ?? '').split('\n')
  if (known === inputsHash(manifest, remote, imported) && existsSync(file) && existsSync(declarations))
    return { file, changed: false, cached: true }
  // The compiler takes most of a second to load: only when the inputs changed.
  const { inspectObjects } = await import('./inspect-objects.js')
  const modules = new Set<string>()
  const shapes = inspectObjects(manifest, remote, modules)
  let changed = writeIfChanged(file, renderTypes(manifest, shapes, remote))
  const client = renderClientTypes(manifest, shapes)
  if (client) changed = writeIfChanged(generatedPath(manifest.root, 'clientTypes'), client) || changed
  writeIfChanged(declarations, renderDeclarations(manifest, shapes))
  // Now that the compiler has run, its code cache holds what it compiled (the next load skips it).
  loadTypeScript().saveCodeCache()
  writeIfChanged(hashFile, [inputsHash(manifest, remote, [...modules]), ...modules].join('\n'))
  return { file, changed, cached: false }
}

// The declarations depend only on the object files (the app's and those of the Workers it binds),
// the modules they import (a definition may be made in lib/ or a linked package), the compiler
// settings, the globals the tsconfig declares and this generator.
function inputsHash(manifest: Manifest, remote: RemoteObject[], modules: string[]): string {
  const hash = createHash('sha256').update(installedVersion('typescript'))
  for (const module of ['./write-types.js', './inspect-objects.js', './type-printer.js', './remote-objects.js'])
    hash.update(readText(fileURLToPath(new URL(module, import.meta.url))) ?? '')
  // worker-configuration.d.ts by name: the first build runs before `wrangler types` wrote it.
  for (const name of [...manifest.objects.map((o) => o.file), 'tsconfig.json', WORKER_TYPES_FILE]) {
    hash.update(name).update(readText(join(manifest.root, name)) ?? '')
  }
  for (const object of remote) hash.update(JSON.stringify(object)).update(readText(object.path) ?? '')
  for (const module of modules) hash.update(module).update(readText(module) ?? '')
  return hash.digest('hex')
}

/**
 * `.cloudwerk/client-types.d.ts`: for every object with `client`, what `connect<'Room'>(url)`
 * from `@cloudwerk/client` sees: the synced keys and the browser-callable methods. Undefined when
 * no object has `client` (the app may not depend on @cloudwerk/client).
 */
export function renderClientTypes(manifest: Manifest, objects: Map<string, ObjectShape>): string | undefined {
  const entries = manifest.objects.flatMap((o) => {
    const client = objects.get(o.className)?.client
    if (!client) return []
    const methods = client.methods.length ? `{\n${client.methods.map((m) => `        ${m}`).join('\n')}\n      }` : '{}'
    return [`    /** ${o.file} */\n    ${o.className}: {\n      state: ${client.state}\n      methods: ${methods}\n    }`]
  })
  if (!entries.length) return undefined
  return augment('@cloudwerk/client', 'ClientObjects', entries)
}

/** What `wrangler types` writes: the app's `Env` (bindings, vars, secrets) and the Workers runtime types. */
export const WORKER_TYPES_FILE = 'worker-configuration.d.ts'

/** Beside the bundle (dist/index.js), for `wrangler types` and anything else that reads `main`'s types. */
export const DECLARATIONS_FILE = 'dist/index.d.ts'

/**
 * `dist/index.d.ts`: the Worker's exports as classes with the objects' methods. `wrangler types`
 * types each Durable Object namespace with the class its binding names
 * (`DurableObjectNamespace<import("../build/dist/index").Counter>`), so `env.COUNTER` stubs are typed
 * there too. The method types are the ones `.cloudwerk/types.d.ts` has; import paths are relative
 * to the app root's first level, which both files are in.
 */
export function renderDeclarations(manifest: Manifest, objects: Map<string, ObjectShape>): string {
  const classes = manifest.objects.map((o) => {
    const members = objects.get(o.className)?.methods ?? []
    return `/** ${o.file} (binding ${o.binding}) */\nexport declare class ${o.className} extends DurableObject {\n${members.map((m) => `  ${m}\n`).join('')}}`
  })
  return [
    HEADER,
    "import { DurableObject } from 'cloudflare:workers'",
    '',
    ...classes,
    'declare const worker: ExportedHandler',
    'export default worker',
    '',
  ].join('\n')
}

export function renderTypes(manifest: Manifest, objects: Map<string, ObjectShape>, remote: RemoteObject[] = []): string {
  const entry = (name: string, about: string) => {
    const members = objects.get(name)?.methods ?? []
    const body = members.length ? `{\n${members.map((m) => `      ${m}`).join('\n')}\n    }` : '{}'
    return `    /** ${about} */\n    ${name}: ${body}`
  }
  const entries = [
    ...manifest.objects.map((o) => entry(o.className, `${o.file} (binding ${o.binding})`)),
    ...remote.map((o) =>
      entry(
        o.name,
        `${o.className} of the Worker "${o.worker}" (binding ${o.binding}), typed from ${toPosix(relative(manifest.root, o.path))}`,
      ),
    ),
  ]
  return augment('@cloudwerk/core/bindings', 'CloudwerkObjects', entries)
}

// A declaration file that adds `entries` to the interface `name` of `module` (module augmentation).
function augment(module: string, name: string, entries: string[]): string {
  return [HEADER, 'export {}', '', `declare module '${module}' {`, `  interface ${name} {`, ...entries, '  }', '}', ''].join('\n')
}
