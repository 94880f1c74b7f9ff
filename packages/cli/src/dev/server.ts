import * as esbuild from 'esbuild'
import type { MiniflareOptions } from 'miniflare'
import { copyFileSync, mkdirSync, watch, type FSWatcher } from 'node:fs'
import { dirname, join } from 'node:path'
import { formatMessage } from '../build/bundle.js'
import { prepareApp } from '../build/index.js'
import type { Manifest } from '../build/manifest.js'
import { findConfig } from '../build/wrangler-config.js'
import { GENERATED_DIR } from '../build/write-entry.js'
import { isUserError, UserError } from '../util/errors.js'
import { dim, green, red } from '../util/log.js'
import { createDevBundles, type DevBuild } from './bundles.js'
import { forgetRuntime, recordRuntime, stopLeftoverRuntime } from './leftover-runtime.js'
import { wranglerWorkerOptions, type WorkerOptionsFromConfig } from './wrangler-options.js'

export interface DevOptions {
  root: string
  port: number
  host: string
  environment?: string
  /** Called with each log line (defaults to console.log / console.error). */
  log?: (line: string) => void
}

export interface DevServer {
  url: string
  manifest: Manifest
  /** Rebuilds now (the watcher calls it on every change). Resolves when the new code serves. */
  reload(): Promise<boolean>
  close(): Promise<void>
}

const STATE_DIR = '.wrangler/state/v3'

/**
 * `cloudwerk dev`: the app built as for deploy, served by workerd through Miniflare, rebuilt
 * and swapped in on every change. Local data lives in .wrangler/state/v3 (where `wrangler dev`
 * keeps it too) and no rebuild ever wipes it.
 */
export async function startDevServer(options: DevOptions): Promise<DevServer> {
  const { root } = options
  const log = options.log ?? ((line: string) => console.log(line))
  // Loading Miniflare takes a while; let it load while esbuild (another process) bundles.
  const loadingMiniflare = import('miniflare')
  await stopLeftoverRuntime(root)
  // wrangler.jsonc is written once the bundles have built: see prepareApp.
  const prepared = await prepareApp(root, { deferConfig: true })
  let { manifest } = prepared
  const bundles = await createDevBundles(root, manifest)
  let current: DevBuild
  try {
    current = await bundles.build(manifest)
  } catch (error) {
    await bundles.dispose()
    throw error
  }
  prepared.saveConfig()
  // A copy of the last objects bundle workerd accepted: one that fails to start is swapped back out.
  const goodFile = join(root, GENERATED_DIR, 'dev', 'good', 'index.js')
  let configOptions = await loadConfigOptions(root, options.environment, log)
  const { Miniflare, Response } = await loadingMiniflare
  // The routes bundle, for the dev loader in the Worker: 304 while it has the current version.
  const serveRoutes = (request: { headers: { get(name: string): string | null } }) =>
    request.headers.get('if-none-match') === current.routes.version
      ? new Response(null, { status: 304 })
      : Response.json(current.routes)
  const workerOptions = (script: string) => ({ ...miniflareOptions(root, script, configOptions, options), serviceBindings: { ...(configOptions.serviceBindings as object), CLOUDWERK_DEV_ROUTES: serveRoutes }, unsafeEvalBinding: 'CLOUDWERK_DEV_EVAL' }) as MiniflareOptions
  const mf = new Miniflare(workerOptions(bundles.objectsFile))
  keepAsGood(bundles.objectsFile, goodFile)
  const url = await mf.ready.then(
    (ready) => ready.href.replace(/\/$/, ''),
    async (error: { code?: string }) => {
      // Let go of what keeps the process alive, so `cloudwerk dev` exits with the error.
      await mf.dispose().catch(() => {})
      await bundles.dispose()
      throw addressInUse(error, options)
    },
  )
  recordRuntime(root)

  let queue = Promise.resolve(true)
  async function rebuild(): Promise<boolean> {
    const started = performance.now()
    try {
      const prepared = await prepareApp(root, { deferConfig: true })
      manifest = prepared.manifest
      const next = await bundles.build(manifest)
      prepared.saveConfig()
      const previousConfig = JSON.stringify(configOptions)
      configOptions = await loadConfigOptions(root, options.environment, log)
      const built = performance.now()
      if (next.objectsChanged || JSON.stringify(configOptions) !== previousConfig) {
        try {
          await mf.setOptions(workerOptions(bundles.objectsFile))
        } catch (error) {
          await mf.setOptions(workerOptions(goodFile))
          throw error
        } finally {
          recordRuntime(root) // workerd was restarted: it is a new process
        }
        keepAsGood(bundles.objectsFile, goodFile)
      }
      current = next
      const done = performance.now()
      const how = next.objectsChanged ? `workerd restart ${Math.round(done - built)} ms` : 'routes swapped in, no restart'
      log(`${green('Reloaded')} in ${Math.round(done - started)} ms ${dim(`(build ${Math.round(built - started)} ms, ${how})`)}`)
      return true
    } catch (error) {
      log(`${red('Build failed')}, still serving the last good build:\n${describeError(error)}`)
      return false
    }
  }
  // One rebuild at a time; changes that land during one are picked up by the next.
  const reload = () => (queue = queue.then(rebuild))

  const watchers = watchApp(root, reload)
  return {
    url,
    get manifest() {
      return manifest
    },
    reload,
    async close() {
      for (const w of watchers) w.close()
      await queue
      await bundles.dispose()
      await mf.dispose()
      forgetRuntime(root)
    },
  }
}

// Miniflare reports a taken port as an internal failure; it is the user's to fix.
function addressInUse(error: { code?: string }, options: DevOptions): unknown {
  if (error?.code !== 'ERR_ADDRESS_IN_USE') return error
  return new UserError(`cloudwerk dev: ${options.host}:${options.port} is already in use. Stop whatever listens there, or pick another port: cloudwerk dev --port <number>.`)
}

function keepAsGood(outfile: string, goodFile: string): void {
  mkdirSync(dirname(goodFile), { recursive: true })
  for (const suffix of ['', '.map']) copyFileSync(outfile + suffix, goodFile + suffix)
}

async function loadConfigOptions(root: string, environment: string | undefined, log: (line: string) => void) {
  const configPath = findConfig(root)
  if (!configPath) return {}
  const options = await wranglerWorkerOptions(root, configPath, environment)
  // Objects bound from another Worker (script_name) need that Worker running in this process.
  for (const [name, binding] of Object.entries(options.durableObjects ?? {})) {
    if (binding.scriptName) {
      log(dim(`note: ${name} binds ${binding.className} from the Worker "${binding.scriptName}", which cloudwerk dev does not run; calls to it will fail locally.`))
      delete options.durableObjects![name]
    }
  }
  return options
}

function miniflareOptions(root: string, script: string, fromConfig: WorkerOptionsFromConfig, options: DevOptions): MiniflareOptions {
  const state = join(root, STATE_DIR)
  return {
    ...fromConfig,
    name: 'cloudwerk-app',
    modules: true,
    // Module names are paths relative to this root, and workerd refuses names that climb out of it.
    modulesRoot: dirname(script),
    scriptPath: script,
    bindings: { ...(fromConfig.bindings as Record<string, unknown>), CLOUDWERK_DEV: true },
    port: options.port,
    host: options.host,
    cf: false,
    durableObjectsPersist: join(state, 'do'),
    kvPersist: join(state, 'kv'),
    d1Persist: join(state, 'd1'),
    r2Persist: join(state, 'r2'),
    cachePersist: join(state, 'cache'),
  } as MiniflareOptions
}

function watchApp(root: string, onChange: () => void): FSWatcher[] {
  let timer: NodeJS.Timeout | undefined
  // Editors write a file in several steps; wait for the burst to settle.
  const schedule = (_event: string, name: string | null) => {
    if (name && /(^|\/)(\.|node_modules|dist\/)|~$|\.swp$/.test(name)) return
    clearTimeout(timer)
    timer = setTimeout(onChange, 25)
  }
  const watchers: FSWatcher[] = []
  for (const [path, recursive] of [['app', true], ['public', true], ['.', false]] as const) {
    try {
      const watcher = watch(join(root, path), { recursive }, (event, name) => {
        if (path === '.' && !/^(wrangler\.jsonc?|\.dev\.vars|tsconfig\.json)$/.test(name ?? '')) return
        schedule(event, name)
      })
      watchers.push(watcher)
    } catch {
      // public/ is optional
    }
  }
  return watchers
}

export function describeError(error: unknown): string {
  if (isUserError(error)) return error.message
  const failure = error as esbuild.BuildFailure
  if (Array.isArray(failure?.errors)) return failure.errors.map(formatMessage).join('\n')
  // workerd refused the new Worker (for example an object file whose default export is not a
  // definition): its own output says why; Miniflare's stack would only bury it.
  if ((error as { code?: string })?.code === 'ERR_RUNTIME_FAILURE') return (error as Error).message
  return (error as Error)?.stack ?? String(error)
}
