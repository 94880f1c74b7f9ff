import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createRequire } from 'node:module'
import { readText, writeIfChanged } from '../util/fs.js'
import { loadTypeScript } from '../util/load-cached.js'
import type { ObjectShape } from './inspect-objects.js'
import type { Manifest } from './manifest.js'
import { GENERATED_DIR } from './write-entry.js'

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
  const file = join(manifest.root, GENERATED_DIR, 'types.d.ts')
  const hashFile = join(manifest.root, GENERATED_DIR, 'types.hash')
  const hash = inputsHash(manifest)
  if (readText(hashFile) === hash && existsSync(file)) return { file, changed: false, cached: true }
  // The compiler takes most of a second to load: only when the inputs changed.
  const { inspectObjects } = await import('./inspect-objects.js')
  const changed = writeIfChanged(file, renderTypes(manifest, inspectObjects(manifest)))
  // Now that the compiler has run, its code cache holds what it compiled (the next load skips it).
  loadTypeScript().saveCodeCache()
  writeIfChanged(hashFile, hash)
  return { file, changed, cached: false }
}

// The declarations depend only on the object files, the compiler settings and this generator.
function inputsHash(manifest: Manifest): string {
  const typescript = createRequire(import.meta.url)('typescript/package.json') as { version: string }
  const hash = createHash('sha256').update(typescript.version)
  for (const module of ['./write-types.js', './inspect-objects.js', './type-printer.js']) hash.update(readText(fileURLToPath(new URL(module, import.meta.url))) ?? '')
  for (const name of [...manifest.objects.map((o) => o.file), 'tsconfig.json']) {
    hash.update(name).update(readText(join(manifest.root, name)) ?? '')
  }
  return hash.digest('hex')
}

export function renderTypes(manifest: Manifest, objects: Map<string, ObjectShape>): string {
  const entries = manifest.objects.map((o) => {
    const members = objects.get(o.className)?.methods ?? []
    const body = members.length ? `{\n${members.map((m) => `      ${m}`).join('\n')}\n    }` : '{}'
    return `    /** ${o.file} (binding ${o.binding}) */\n    ${o.className}: ${body}`
  })
  return [
    '// generated from app/objects by cloudwerk - do not edit',
    'export {}',
    '',
    `declare module '@cloudwerk/core/bindings' {`,
    '  interface CloudwerkObjects {',
    ...entries,
    '  }',
    '}',
    '',
  ].join('\n')
}
