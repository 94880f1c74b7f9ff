import type * as esbuild from 'esbuild'
import { createHash } from 'node:crypto'
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { readConfig } from '../wrangler/config.js'

export interface ModuleRule {
  type: string
  globs: string[]
  fallthrough?: boolean
}

// What `wrangler deploy` applies when the config has no `rules` (wrangler's DEFAULT_MODULE_RULES).
const DEFAULT_RULES: ModuleRule[] = [
  { type: 'Text', globs: ['**/*.txt', '**/*.html', '**/*.sql'] },
  { type: 'Data', globs: ['**/*.bin'] },
  { type: 'CompiledWasm', globs: ['**/*.wasm', '**/*.wasm?module'] },
]

/**
 * The config's `rules` then the defaults, as wrangler orders them: the first rule of a type
 * without `fallthrough: true` is the last one of that type that counts.
 */
export function moduleRules(userRules: ModuleRule[] = []): ModuleRule[] {
  const closed = new Set<string>()
  const rules: ModuleRule[] = []
  for (const rule of [...userRules, ...DEFAULT_RULES]) {
    if (closed.has(rule.type)) continue
    rules.push(rule)
    if (rule.fallthrough !== true) closed.add(rule.type)
  }
  return rules
}

// A config that does not parse is reported by the build's reconcile step, which runs first.
function readRules(root: string): ModuleRule[] | undefined {
  try {
    return readConfig(root)?.value.rules as ModuleRule[] | undefined
  } catch {
    return undefined
  }
}

/** A glob as wrangler reads it (glob-to-regexp's defaults): `*` is any text, slashes included. */
export function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${glob.replace(/[.+^${}()|[\]\\?/]/g, '\\$&').replace(/\*+/g, '.*')}$`)
}

/**
 * Imports of non-JavaScript files, bundled as `wrangler deploy` bundles them, matched on the
 * import path: Text is the file's text, Data an ArrayBuffer of its bytes (both inlined, which is
 * what the module would hold), CompiledWasm a WebAssembly.Module. Workers refuse to compile
 * WebAssembly from bytes at run time, so a .wasm file stays a module of its own: copied beside
 * the output under a content hash and imported from there, where wrangler (which bundles
 * dist/index.js again) and Miniflare (given the same rules) pick it up.
 */
export function moduleRulesPlugin(root: string, options: { wasmPlaceholder?: boolean } = {}): esbuild.Plugin {
  return {
    name: 'cloudwerk-module-rules',
    setup(build) {
      const rules = moduleRules(readRules(root))
      const outDir = build.initialOptions.outfile ? dirname(build.initialOptions.outfile) : undefined
      for (const rule of rules) {
        if (!['Text', 'Data', 'CompiledWasm'].includes(rule.type)) continue
        for (const glob of rule.globs) {
          build.onResolve({ filter: globToRegExp(glob) }, (args) => {
            if (args.namespace !== 'file') return undefined
            const path = join(args.resolveDir, args.path.replace(/\?.*$/, ''))
            if (rule.type !== 'CompiledWasm') return { path, namespace: `cloudwerk-${rule.type}` }
            if (options.wasmPlaceholder) return { path, namespace: 'cloudwerk-wasm-placeholder' }
            if (!outDir) {
              return {
                errors: [
                  {
                    text: `${args.path}: a WebAssembly module can be imported from object files (app/objects/) and what they import, not from routes or middleware under cloudwerk dev. Import it in an object and call one of its methods.`,
                  },
                ],
              }
            }
            const name = `${createHash('sha1').update(readFileSync(path)).digest('hex').slice(0, 16)}-${basename(path)}`
            mkdirSync(outDir, { recursive: true })
            copyFileSync(path, join(outDir, name))
            return { path: `./${name}`, external: true }
          })
        }
      }
      build.onLoad({ filter: /.*/, namespace: 'cloudwerk-Text' }, (args) => ({
        contents: readFileSync(args.path),
        loader: 'text',
        watchFiles: [args.path],
      }))
      // esbuild's binary loader gives a Uint8Array; a Data module is an ArrayBuffer.
      build.onLoad({ filter: /.*/, namespace: 'cloudwerk-Data' }, (args) => ({
        contents: `import bytes from ${JSON.stringify(`cloudwerk-bytes:${args.path}`)}\nexport default bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)`,
        loader: 'js',
        resolveDir: dirname(args.path),
      }))
      build.onResolve({ filter: /^cloudwerk-bytes:/ }, (args) => ({
        path: args.path.slice('cloudwerk-bytes:'.length),
        namespace: 'cloudwerk-bytes',
      }))
      build.onLoad({ filter: /.*/, namespace: 'cloudwerk-bytes' }, (args) => ({
        contents: readFileSync(args.path),
        loader: 'binary',
        watchFiles: [args.path],
      }))
      // For the definition check, which loads object files in Node and never runs their code.
      build.onLoad({ filter: /.*/, namespace: 'cloudwerk-wasm-placeholder' }, (args) => ({
        contents: 'export default {}',
        loader: 'js',
        watchFiles: [args.path],
      }))
    },
  }
}
