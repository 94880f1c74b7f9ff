import { UserError } from '../util/errors.js'
import { loadMiniflare } from '../util/load-cached.js'
import { dim } from '../util/log.js'
import type { Manifest } from '../pipeline/manifest.js'
import { CompileError, startBuilder, type Builder, type DevBuildResult } from './builder.js'
import { createClientReload } from './client-reload.js'
import { describeDataElsewhere } from './worker-name.js'
import { forgetRuntime, lockStateFolder, recordRuntime } from './leftover-runtime.js'
import { devMiniflareOptions, type DevWorkersSetup } from './miniflare-options.js'
import { assetsDir, createReloader, type Reloader } from './reload.js'
import { createRoutesPublisher, routesFolder } from './routes-folder.js'
import { createDevRuntime } from './runtime.js'
import { createStateView, routeDevRequests } from './state-view.js'
import { appPaths, combineChanges, watchApp, type AppWatcher, type Change } from './watch.js'
import type { WorkerOptionsFromConfig } from './wrangler-options.js'

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
  reload(change?: Change): Promise<boolean>
  close(): Promise<void>
}

/**
 * `cloudwerk dev`: the app built as for deploy, served by workerd through Miniflare, rebuilt
 * and swapped in on every change (reload.ts). Local data lives in .wrangler/state/v3 (where
 * `wrangler dev` keeps it too) and no rebuild ever wipes it.
 */
export async function startDevServer(options: DevOptions): Promise<DevServer> {
  const { root } = options
  const log = options.log ?? ((line: string) => console.log(line))
  // Before anything is written: a second dev in this folder stops here, naming the first.
  await lockStateFolder(root)
  // Watching starts with the build: an edit saved while dev starts is rebuilt once it serves.
  const changes = holdChanges()
  const watcher = watchApp(root, appPaths(root, assetsDir(root, {})), changes.push)
  const builder = startBuilder({ root, environment: options.environment })
  const stopStarting = async () => {
    await builder.dispose()
    await watcher.close()
    forgetRuntime(root)
  }
  const { first, ...loaded } = await buildFirst(builder).catch(async (error) => {
    await stopStarting()
    throw error
  })
  for (const note of [...first.notes, ...describeDataElsewhere(root, first.manifest, first.config)]) log(dim(note))
  const { clientReload, runtime, routes, optionsFor } = wireRuntime(options, first, loaded, log)
  const reloader = createReloader({ root, builder, runtime, routes, clientReload, watcher, optionsFor, log }, first)
  const url = await runtime.start(optionsFor(first.config)).catch(async (error) => {
    await stopStarting()
    throw addressInUse(error, options)
  })
  const forgetOnExit = recordUntilExit(root, url)
  setTimeout(loaded.saveCodeCache, 1000).unref()

  const warmUp = await followChanges(root, first, { changes, reloader, watcher })
  return {
    url,
    get manifest() {
      return reloader.current().manifest
    },
    reload: (change) => reloader.reload(change),
    async close() {
      clearTimeout(warmUp)
      await watcher.close()
      clientReload.release()
      await reloader.settled()
      await builder.dispose()
      await runtime.dispose()
      process.off('exit', forgetOnExit)
      forgetRuntime(root)
    },
  }
}

/**
 * The first build, which runs on the build thread while this one loads Miniflare (the two largest
 * parts of the start, side by side).
 */
async function buildFirst(builder: Builder) {
  const building = builder.build()
  building.catch(() => {}) // awaited below, once Miniflare has loaded
  const loaded = loadMiniflare()
  const { Miniflare, Response, getDefaultDevRegistryPath } = loaded.exports
  try {
    return {
      first: await building,
      Miniflare,
      Response,
      // wrangler's variable first, as wrangler dev reads it.
      registry: process.env.WRANGLER_REGISTRY_PATH || getDefaultDevRegistryPath(),
      saveCodeCache: loaded.saveCodeCache,
    }
  } catch (error) {
    // At start there is no last good build to keep serving: the command stops with the error.
    throw error instanceof CompileError ? new UserError(`Build failed:\n${error.message}`) : error
  }
}

type Loaded = Omit<Awaited<ReturnType<typeof buildFirst>>, 'first'>

/**
 * workerd (not started yet) and what its Workers are wired to: the routes bundles the dev loader
 * reads, client/'s bundles and the reload poll, the state view.
 */
function wireRuntime(options: DevOptions, first: DevBuildResult, loaded: Loaded, log: (line: string) => void) {
  const { root } = options
  const { Miniflare, Response } = loaded
  const clientReload = createClientReload(Response)
  const logError = options.log ?? ((line: string) => console.error(line))
  const runtime = createDevRuntime({ Miniflare, root, objectsFile: first.objectsFile, log, logError })
  const stateView = createStateView(runtime, (body, status, type) => new Response(body, { status, headers: noStore(type) }))
  const routes = createRoutesPublisher(root, first.routes)
  const setup: DevWorkersSetup = {
    ...options,
    registry: loaded.registry,
    // Asked on every request, so a workerd left running by a killed dev stops answering instead
    // of serving an old build.
    serveRoutesVersion: () => new Response(routes.version()),
    routesFolder: routesFolder(root),
    serveDevRequests: routeDevRequests(stateView, clientReload.serve as (request: Request) => Promise<unknown>),
  }
  const optionsFor = (config: WorkerOptionsFromConfig) => (script: string) => devMiniflareOptions(setup, script, config)
  return { clientReload, runtime, routes, optionsFor }
}

/** From now on every change reloads; returns the timer of the warm-up build, if there is one. */
async function followChanges(
  root: string,
  first: DevBuildResult,
  { changes, reloader, watcher }: { changes: HeldChanges; reloader: Reloader; watcher: AppWatcher },
) {
  // Quiet: the build's own write to wrangler.jsonc (a new object's migration) is one of these.
  const early = changes.release((change) => void reloader.reload(change))
  if (early) void reloader.reload(early, true)
  await watcher.update(appPaths(root, assetsDir(root, first.config)))
  // Started from the last build: build for real shortly after (once the first requests are
  // answered), so the build tools are loaded before the first edit and anything the check missed
  // is swapped in.
  return first.reused ? setTimeout(() => void reloader.reload('code', true), 250) : undefined
}

type HeldChanges = ReturnType<typeof holdChanges>

/** Changes seen before dev serves, combined into one, until `release` names their handler. */
function holdChanges() {
  let held: Change | undefined
  let handle: ((change: Change) => void) | undefined
  return {
    push: (change: Change) => (handle ? handle(change) : (held = combineChanges(held, change))),
    /** Sends every later change to `handler`; returns the one held until now, if any. */
    release(handler: (change: Change) => void): Change | undefined {
      handle = handler
      return held
    },
  }
}

/** Records the running workerd for the next dev (leftover-runtime.ts); returns the exit hook to remove. */
function recordUntilExit(root: string, url: string): () => void {
  recordRuntime(root, url)
  // Ctrl-C reaches Miniflare's own handler, which stops workerd and exits before close() can run.
  const forgetOnExit = () => forgetRuntime(root)
  process.on('exit', forgetOnExit)
  return forgetOnExit
}

const noStore = (type: string) => ({ 'content-type': type, 'cache-control': 'no-store' })

// Miniflare reports a taken port as an internal failure; it is the user's to fix.
function addressInUse(error: { code?: string }, options: DevOptions): unknown {
  if (error?.code !== 'ERR_ADDRESS_IN_USE') return error
  return new UserError(
    `cloudwerk dev: ${options.host}:${options.port} is already in use. Stop whatever listens there, or pick another port: cloudwerk dev --port <number>.`,
  )
}
