import { DEV_BINDINGS } from '@cloudwerk/core/dev-wire'
import type { MiniflareOptions } from 'miniflare'
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import type { Manifest } from '../pipeline/manifest.js'
import { generatedPath } from '../pipeline/generated-paths.js'
import { isUserError, UserError } from '../util/errors.js'
import { dim, green, red } from '../util/log.js'
import { CompileError, startBuilder, type DevBuildResult } from './builder.js'
import { forgetRuntime, lockStateFolder, recordRuntime } from './leftover-runtime.js'
import { loadMiniflare } from '../util/load-cached.js'
import { publishRoutes, routesFolder } from './routes-folder.js'
import { handleRuntimeOutput } from './runtime-output.js'
import { appPaths, combineChanges, watchApp, type Change } from './watch.js'
import { createClientReload } from './client-reload.js'
import { createStateView, routeDevRequests } from './state-view.js'
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

const STATE_DIR = '.wrangler/state/v3'

/**
 * `cloudwerk dev`: the app built as for deploy, served by workerd through Miniflare, rebuilt
 * and swapped in on every change. Local data lives in .wrangler/state/v3 (where `wrangler dev`
 * keeps it too) and no rebuild ever wipes it.
 */
export async function startDevServer(options: DevOptions): Promise<DevServer> {
  const { root } = options
  const log = options.log ?? ((line: string) => console.log(line))
  // Before anything is written: a second dev in this folder stops here, naming the first.
  await lockStateFolder(root)
  // Watching starts with the build: an edit saved while dev starts is rebuilt once it serves.
  let onChange: (change: Change) => void = (change) => (changedEarly = combineChanges(changedEarly, change))
  let changedEarly: Change | undefined
  const watcher = watchApp(root, appPaths(root, assetsDir(root, {})), (change) => onChange(change))
  // The app builds on another thread while this one loads Miniflare.
  const builder = startBuilder({ root, environment: options.environment })
  const building = builder.build()
  building.catch(() => {}) // awaited below, once Miniflare has loaded
  let loaded: ReturnType<typeof loadMiniflare>
  let current: DevBuildResult
  try {
    loaded = loadMiniflare()
    current = await building
  } catch (error) {
    await builder.dispose()
    await watcher.close()
    forgetRuntime(root)
    // At start there is no last good build to keep serving: the command stops with the error.
    throw error instanceof CompileError ? new UserError(`Build failed:\n${error.message}`) : error
  }
  for (const note of [...current.notes, ...objectDataElsewhere(root, current)]) log(dim(note))
  const { Miniflare, Response } = loaded.exports
  const clientReload = createClientReload(Response)
  const stateView = createStateView(
    { url: () => url, evict: (script, className, id) => mf.unsafeEvictDurableObject(script, className, { id }) },
    (body, status, type) => new Response(body, { status, headers: { 'content-type': type, 'cache-control': 'no-store' } }),
  )
  clientReload.update(current.client)
  if (current.client?.error) log(describeClientError(current.client.error))
  const { objectsFile } = current
  // A copy of the last objects bundle workerd accepted: one that fails to start is swapped back out.
  const goodFile = generatedPath(root, 'devGoodBundle')
  publishRoutes(root, current.routes)
  // Which routes bundle is current, for the dev loader in the Worker. Asked on every request, so
  // a workerd left running by a killed dev stops answering instead of serving an old build.
  const serveVersion = () => new Response(current.routes.version)
  // Where every `cloudwerk dev` and `wrangler dev` lists its Worker, so Workers reach each other
  // (wrangler's variable first, as wrangler dev reads it).
  const registry = process.env.WRANGLER_REGISTRY_PATH || loaded.exports.getDefaultDevRegistryPath()
  let running = objectsFile
  // Records each workerd as soon as it is spawned, and maps its stack traces to the app's files.
  const handleRuntimeStdio = handleRuntimeOutput({
    root,
    script: () => running,
    onSpawn: () => recordRuntime(root),
    log,
    logError: options.log ?? ((line) => console.error(line)),
  })
  const workerOptions = (script: string, config: WorkerOptionsFromConfig) => {
    running = script
    const app = {
      ...miniflareOptions(root, script, config, options, registry),
      serviceBindings: {
        ...(config.serviceBindings as object),
        [DEV_BINDINGS.routes]: serveVersion,
        [DEV_BINDINGS.routesCode]: { disk: { path: routesFolder(root), writable: false } },
      },
      unsafeEvalBinding: DEV_BINDINGS.eval,
      handleRuntimeStdio,
    }
    // Requests reach the app through the Worker that adds the reload script (client-reload.ts).
    const front = clientReload.frontWorker(app.name as string)
    const routeDev = routeDevRequests(stateView, clientReload.serve as (request: Request) => Promise<unknown>)
    return {
      ...app,
      workers: [{ ...front, serviceBindings: { ...front.serviceBindings, CLOUDWERK_DEV_CLIENT: routeDev } }, app],
    } as MiniflareOptions
  }
  const mf = new Miniflare(workerOptions(objectsFile, current.config))
  keepAsGood(objectsFile, goodFile)
  const url = await mf.ready.then(
    (ready) => ready.href.replace(/\/$/, ''),
    async (error: { code?: string }) => {
      // Let go of what keeps the process alive, so `cloudwerk dev` exits with the error.
      await mf.dispose().catch(() => {})
      await builder.dispose()
      await watcher.close()
      forgetRuntime(root)
      throw addressInUse(error, options)
    },
  )
  recordRuntime(root, url)
  // Ctrl-C reaches Miniflare's own handler, which stops workerd and exits before close() can run.
  const forgetOnExit = () => forgetRuntime(root)
  process.on('exit', forgetOnExit)
  setTimeout(loaded.saveCodeCache, 1000).unref()

  let queue = Promise.resolve(true)
  // Whether the last rebuild failed: the next one that succeeds says the fix is live.
  let failing = false
  // `quiet`: the build right after a start from the last build (see last-build.ts), reported
  // only if it differs from that one.
  async function rebuild(change: Change, quiet = false): Promise<boolean> {
    const started = performance.now()
    if (change === 'client')
      return reportClient(
        await builder.buildClient().catch((error: Error) => ({ files: {}, hash: '', ms: 0, error: describeError(error) })),
      )
    try {
      const next = await builder.build()
      const built = performance.now()
      const configChanged = JSON.stringify(next.config) !== JSON.stringify(current.config)
      if (configChanged) for (const note of next.notes) log(dim(note))
      // workerd lists the assets folder when it starts: a file added or removed needs a restart,
      // while an edited file is served as it is now (client-reload.ts keeps browsers from caching it).
      const listing = change === 'assets' ? listFiles(assetsDir(root, next.config)) : assetFiles
      const restart = next.objectsChanged || configChanged || listing !== assetFiles
      if (restart) {
        // Pages waiting for a change are answered now, and ask again once workerd is back.
        clientReload.release()
        try {
          await mf.setOptions(workerOptions(objectsFile, next.config))
        } catch (error) {
          await mf.setOptions(workerOptions(goodFile, current.config))
          throw error
        }
        keepAsGood(objectsFile, goodFile)
      }
      const routesChanged = next.routes.version !== current.routes.version
      publishRoutes(root, next.routes, current.routes.version)
      current = next
      void watcher.update(appPaths(root, assetsDir(root, current.config)))
      const fixed = failing
      failing = false
      const clientChanged = reportClient(next.client, quiet)
      // The new Worker answers: open pages reload (object state lives on in storage).
      if (restart) assetFiles = listFiles(assetsDir(root, next.config))
      if (restart || routesChanged || change === 'assets') clientReload.reloadPages()
      if (quiet && !restart && !routesChanged) return true
      const done = performance.now()
      const how = restart
        ? `workerd restart ${Math.round(done - built)} ms`
        : !routesChanged && clientChanged
          ? 'client/ rebuilt'
          : !routesChanged && change === 'assets'
            ? 'static file served as edited, no restart'
            : 'routes swapped in, no restart'
      log(
        `${green('Reloaded')} in ${Math.round(done - started)} ms ${dim(`(build ${Math.round(built - started)} ms, ${how})`)}${fixed ? green(': fixed, your latest code is live') : ''}`,
      )
      return true
    } catch (error) {
      failing = true
      log(`${red('Build failed')}, still serving the last good build:\n${describeError(error)}`)
      return false
    }
  }
  // The assets folder's files when workerd last started.
  let assetFiles = listFiles(assetsDir(root, current.config))
  // Hands new client bundles to the pages; says what happened unless `quiet` and nothing failed.
  function reportClient(client: DevBuildResult['client'], quiet = false): boolean {
    if (!clientReload.update(client)) return false
    if (client?.error) log(describeClientError(client.error))
    else if (!quiet) log(`${green('Rebuilt')} client/ in ${Math.round(client?.ms ?? 0)} ms ${dim('(pages reload)')}`)
    return true
  }
  // One rebuild at a time; changes that land during one are picked up by the next.
  const reload = (change: Change = 'code') => (queue = queue.then(() => rebuild(change)))

  onChange = reload
  // Quiet: the build's own write to wrangler.jsonc (a new object's migration) is one of these.
  if (changedEarly) queue = queue.then(() => rebuild(changedEarly!, true))
  await watcher.update(appPaths(root, assetsDir(root, current.config)))
  // Started from the last build: build for real shortly after (once the first requests are
  // answered), so the build tools are loaded before the first edit and anything the check missed
  // is swapped in.
  const warmUp = current.reused ? setTimeout(() => (queue = queue.then(() => rebuild('code', true))), 250) : undefined
  return {
    url,
    get manifest() {
      return current.manifest
    },
    reload,
    async close() {
      clearTimeout(warmUp)
      await watcher.close()
      clientReload.release()
      await queue
      await builder.dispose()
      await mf.dispose()
      process.off('exit', forgetOnExit)
      forgetRuntime(root)
    },
  }
}

// Miniflare reports a taken port as an internal failure; it is the user's to fix.
function addressInUse(error: { code?: string }, options: DevOptions): unknown {
  if (error?.code !== 'ERR_ADDRESS_IN_USE') return error
  return new UserError(
    `cloudwerk dev: ${options.host}:${options.port} is already in use. Stop whatever listens there, or pick another port: cloudwerk dev --port <number>.`,
  )
}

function keepAsGood(outfile: string, goodFile: string): void {
  mkdirSync(dirname(goodFile), { recursive: true })
  for (const suffix of ['', '.map']) copyFileSync(outfile + suffix, goodFile + suffix)
}

function miniflareOptions(
  root: string,
  script: string,
  fromConfig: WorkerOptionsFromConfig,
  options: DevOptions,
  registry: string,
): MiniflareOptions {
  const state = join(root, STATE_DIR)
  const name = fromConfig.name ?? LEGACY_NAME
  return {
    ...fromConfig,
    // The deployed name: other Workers in dev reach this one's objects and services by it.
    name,
    durableObjects: keepLegacyKeys(fromConfig.durableObjects, name, join(state, 'do')),
    unsafeDevRegistryPath: registry,
    // Module names are paths relative to this root, and workerd refuses names that climb out of it.
    modulesRoot: dirname(script),
    // The bundle is one module importing only cloudflare:* and node:*: listing it spares Miniflare
    // parsing it to look for others (60 ms of every start and restart).
    modules: [{ type: 'ESModule', path: script, contents: readFileSync(script, 'utf8') }],
    bindings: { ...(fromConfig.bindings as Record<string, unknown>), CLOUDWERK_DEV: true },
    port: options.port,
    host: options.host,
    cf: false,
    // wrangler's data browser at /cdn-cgi/explorer (and the API the state view reads: state-view.ts).
    unsafeLocalExplorer: true,
    durableObjectsPersist: join(state, 'do'),
    kvPersist: join(state, 'kv'),
    d1Persist: join(state, 'd1'),
    r2Persist: join(state, 'r2'),
    cachePersist: join(state, 'cache'),
  } as MiniflareOptions
}

// Dev used to name every app's Worker "cloudwerk-app". The name keys object IDs (and the folder
// under .wrangler/state/v3/do), so objects stored then keep that key: their data stays reachable.
const LEGACY_NAME = 'cloudwerk-app'
function keepLegacyKeys(objects: WorkerOptionsFromConfig['durableObjects'], name: string, storage: string) {
  if (!objects || name === LEGACY_NAME) return objects
  return Object.fromEntries(
    Object.entries(objects).map(([binding, object]) => {
      const legacyKey = `${LEGACY_NAME}-${object.className}`
      return [binding, !object.scriptName && existsSync(join(storage, legacyKey)) ? { ...object, unsafeUniqueKey: legacyKey } : object]
    }),
  )
}

// Object IDs in dev derive from the Worker's name (as with wrangler dev), so after a rename, or
// in another environment, objects start empty while their data sits under the old name.
function objectDataElsewhere(root: string, build: DevBuildResult): string[] {
  const name = build.config.name ?? LEGACY_NAME
  let folders: string[]
  try {
    folders = readdirSync(join(root, STATE_DIR, 'do'))
  } catch {
    return []
  }
  const notes: string[] = []
  for (const { className } of build.manifest.objects) {
    if (folders.includes(`${name}-${className}`) || folders.includes(`${LEGACY_NAME}-${className}`)) continue
    const elsewhere = folders
      .filter((folder) => folder.endsWith(`-${className}`))
      .map((folder) => `"${folder.slice(0, -className.length - 1)}"`)
    if (elsewhere.length) {
      notes.push(
        `note: local ${className} objects are stored under the Worker name ${elsewhere.join(' and ')} (${STATE_DIR}/do/), but this Worker runs as "${name}" ` +
          '(the name in wrangler.jsonc, with -<env> in an environment), so its objects start empty here. Use that name again to see their data.',
      )
    }
  }
  return notes
}

// The static assets folder, as wrangler.jsonc names it (public/ unless it says otherwise).
function assetsDir(root: string, config: WorkerOptionsFromConfig): string {
  return (config.assets as { directory?: string } | undefined)?.directory ?? join(root, 'public')
}

/** The files under `dir`, sorted, as one string (empty when there is no such folder). */
function listFiles(dir: string): string {
  try {
    return (readdirSync(dir, { recursive: true }) as string[]).sort().join('\n')
  } catch {
    return ''
  }
}

function describeClientError(error: string): string {
  return `${red('client/ does not compile')}; pages keep the last good build and show this until it is fixed:\n${error}`
}

// What to print when a rebuild or restart fails: the user's problem, not our stack.
function describeError(error: unknown): string {
  if (isUserError(error)) return error.message
  // workerd refused the new Worker (for example an object file whose default export is not a
  // definition): its own output says why; Miniflare's stack would only bury it.
  if ((error as { code?: string })?.code === 'ERR_RUNTIME_FAILURE') return (error as Error).message
  return (error as Error)?.stack ?? String(error)
}
