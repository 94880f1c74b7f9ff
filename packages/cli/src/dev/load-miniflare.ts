import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs'
import Module, { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { constants as vmConstants, Script } from 'node:vm'

type MiniflareModule = typeof import('miniflare')

export interface LoadedMiniflare {
  miniflare: MiniflareModule
  /** How the code was compiled: from our cache, fresh (no cache, or V8 refused it), or by Node. */
  codeCache: 'used' | 'fresh' | 'rejected' | 'node'
  /** Writes the code cache when this load had to compile; call once startup code has run. */
  saveCodeCache(): void
}

/**
 * Loads Miniflare, the largest part of `cloudwerk dev`'s start: one 4.4 MB CommonJS file that
 * Node compiles from scratch on every run. So it is compiled with a V8 code cache kept beside it
 * (node_modules/.cache/cloudwerk), made once startup has run so it holds those functions too.
 * Loaded with `require`: `import('miniflare')` costs 0.2 s more, because Node scans a CommonJS
 * file for its export names before an ES module may import it. A cache V8 refuses (another Node
 * or V8 flags) means a plain compile, and the cache is written anew.
 */
export function loadMiniflare(options: { cacheDir?: string } = {}): LoadedMiniflare {
  const require = createRequire(import.meta.url)
  const filename = require.resolve('miniflare')
  // Node 22 caches compiled code itself (see bin/cloudwerk.js). Without the vm loader option the
  // wrapper could not run Miniflare's own import() calls (sharp for images, external plugins).
  const importModuleDynamically = vmConstants?.USE_MAIN_CONTEXT_DEFAULT_LOADER
  if (require.cache[filename] || hasCompileCache() || !importModuleDynamically) {
    return { miniflare: require('miniflare') as MiniflareModule, codeCache: 'node', saveCodeCache() {} }
  }

  const cacheFile = codeCacheFile(filename, options.cacheDir)
  let cachedData: Buffer | undefined
  try {
    cachedData = readFileSync(cacheFile)
  } catch {
    // first run, or a folder we cannot read: compile without
  }
  // The wrapper Node puts around a CommonJS module, so the module sees what it would.
  const source = readFileSync(filename, 'utf8')
  const script = new Script(`(function (exports, require, module, __filename, __dirname) { ${source}\n})`, { filename, cachedData, importModuleDynamically })
  const module = new Module(filename)
  module.filename = filename
  // Registered before it runs (as Node does), so a later require('miniflare') gets this instance.
  require.cache[filename] = module
  try {
    const wrapper = script.runInThisContext() as (...args: unknown[]) => void
    wrapper.call(module.exports, module.exports, createRequire(filename), module, filename, dirname(filename))
  } catch (error) {
    delete require.cache[filename]
    throw error
  }
  module.loaded = true
  const codeCache = !cachedData ? 'fresh' : script.cachedDataRejected ? 'rejected' : 'used'
  return {
    miniflare: module.exports as MiniflareModule,
    codeCache,
    saveCodeCache() {
      if (codeCache === 'used') return
      try {
        mkdirSync(dirname(cacheFile), { recursive: true })
        const temp = `${cacheFile}.${process.pid}.tmp`
        writeFileSync(temp, script.createCachedData())
        renameSync(temp, cacheFile)
      } catch {
        // a read-only install: the next run compiles again, nothing else changes
      }
    },
  }
}

function hasCompileCache(): boolean {
  return typeof (Module as { getCompileCacheDir?: () => string | undefined }).getCompileCacheDir?.() === 'string'
}

// V8 checks a cache against its own version and flags but of the source only its length, so the
// name says which Node made it and which install of Miniflare (path, size, time) it is for.
function codeCacheFile(filename: string, cacheDir?: string): string {
  const { size, mtimeMs } = statSync(filename)
  const key = createHash('sha256').update([process.version, process.arch, filename, size, mtimeMs].join('\0')).digest('hex').slice(0, 16)
  const nodeModules = filename.slice(0, filename.lastIndexOf('node_modules') + 'node_modules'.length)
  return join(cacheDir ?? join(nodeModules, '.cache', 'cloudwerk'), `miniflare-${key}.v8`)
}
