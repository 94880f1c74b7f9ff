import { createHash } from 'node:crypto'
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import Module, { createRequire } from 'node:module'
import { basename, dirname, join } from 'node:path'
import { constants as vmConstants, Script } from 'node:vm'
import { writeAtomically } from './fs.js'

export interface LoadedModule<T> {
  exports: T
  /** How the code was compiled: from our cache, fresh (no cache, or V8 refused it), or by Node. */
  codeCache: 'used' | 'fresh' | 'rejected' | 'node'
  /** Writes the code cache when this load had to compile; call once startup code has run. */
  saveCodeCache(): void
}

/** The TypeScript compiler (one 9 MB file), for the types of object stubs. */
export function loadTypeScript(): LoadedModule<typeof import('typescript')> {
  return requireCached('typescript')
}

/** Miniflare, the largest part of `cloudwerk dev`'s start (one 4.4 MB file). */
export function loadMiniflare(options: { cacheDir?: string } = {}): LoadedModule<typeof import('miniflare')> {
  return requireCached('miniflare', options)
}

/**
 * Wrangler (one 17 MB file), for its config translation. It requires Miniflare itself, so that is
 * loaded first, from its cache, and wrangler's require finds it loaded.
 */
export function loadWrangler<T>(): LoadedModule<T> {
  const miniflare = loadMiniflare()
  const wrangler = requireCached<T>('wrangler')
  return {
    ...wrangler,
    saveCodeCache() {
      miniflare.saveCodeCache()
      wrangler.saveCodeCache()
    },
  }
}

/**
 * Loads a large CommonJS package that Node would otherwise compile from scratch on every run,
 * with a V8 code cache kept beside it (node_modules/.cache/cloudwerk), made once the caller's
 * startup code has run so it holds those functions too. Loaded with `require`: `import()` of the
 * same file costs a third to twice as much here, because Node first scans a CommonJS file for its
 * export names.
 * A cache V8 refuses (another Node or V8 flags) means a plain compile, and the cache is written
 * anew.
 */
export function requireCached<T>(specifier: string, options: { cacheDir?: string } = {}): LoadedModule<T> {
  // One load per package and thread: a second caller gets the first load (and its saveCodeCache).
  const key = `${specifier}\0${options.cacheDir ?? ''}`
  const known = loads.get(key)
  if (known) return known as LoadedModule<T>
  const loaded = load<T>(specifier, options.cacheDir)
  loads.set(key, loaded)
  return loaded
}

const loads = new Map<string, LoadedModule<unknown>>()

function load<T>(specifier: string, cacheDir: string | undefined): LoadedModule<T> {
  const require = createRequire(import.meta.url)
  const filename = require.resolve(specifier)
  // Node 22 caches compiled code itself (see bin/cloudwerk.js). Without the vm loader option the
  // wrapper could not run the package's own import() calls (Miniflare's sharp, for example).
  const importModuleDynamically = vmConstants?.USE_MAIN_CONTEXT_DEFAULT_LOADER
  if (require.cache[filename] || hasCompileCache() || !importModuleDynamically) {
    return { exports: require(specifier) as T, codeCache: 'node', saveCodeCache() {} }
  }

  const cacheFile = codeCacheFile(specifier, filename, cacheDir)
  let cachedData: Buffer | undefined
  try {
    cachedData = readFileSync(cacheFile)
  } catch {
    // first run, or a folder we cannot read: compile without
  }
  // The wrapper Node puts around a CommonJS module, so the module sees what it would.
  const source = readFileSync(filename, 'utf8')
  const script = new Script(`(function (exports, require, module, __filename, __dirname) { ${source}\n})`, {
    filename,
    cachedData,
    importModuleDynamically,
  })
  const module = new Module(filename)
  module.filename = filename
  // Registered before it runs (as Node does), so a later require() gets this same instance.
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
  let saved = codeCache === 'used'
  return {
    exports: module.exports as T,
    codeCache,
    saveCodeCache() {
      if (saved) return
      saved = true
      try {
        writeAtomically(cacheFile, script.createCachedData())
        // Caches for earlier installs of the package (or another Node) would only take space.
        const prefix = `${basename(cacheFile).split('-').slice(0, -1).join('-')}-`
        for (const file of readdirSync(dirname(cacheFile))) {
          if (file.startsWith(prefix) && file.endsWith('.v8') && file !== basename(cacheFile))
            rmSync(join(dirname(cacheFile), file), { force: true })
        }
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
// name says which Node made it and which install of the package (path, size, time) it is for.
function codeCacheFile(specifier: string, filename: string, cacheDir?: string): string {
  const { size, mtimeMs } = statSync(filename)
  const key = createHash('sha256').update([process.version, process.arch, filename, size, mtimeMs].join('\0')).digest('hex').slice(0, 16)
  const nodeModules = filename.slice(0, filename.lastIndexOf('node_modules') + 'node_modules'.length)
  return join(cacheDir ?? join(nodeModules, '.cache', 'cloudwerk'), `${specifier.replace(/\W/g, '-')}-${key}.v8`)
}
