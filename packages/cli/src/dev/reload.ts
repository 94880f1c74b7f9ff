import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { isUserError } from '../util/errors.js'
import { dim, green, red } from '../util/log.js'
import type { Builder, DevBuildResult } from './builder.js'
import type { ClientReload } from './client-reload.js'
import type { RoutesPublisher } from './routes-folder.js'
import type { DevRuntime, OptionsFor } from './runtime.js'
import { appPaths, type AppWatcher, type Change } from './watch.js'
import type { WorkerOptionsFromConfig } from './wrangler-options.js'

export type Reloader = ReturnType<typeof createReloader>

export interface ReloaderSetup {
  root: string
  builder: Builder
  runtime: Pick<DevRuntime, 'restart'>
  routes: RoutesPublisher
  clientReload: ClientReload
  watcher: AppWatcher
  /** Miniflare's options for a config (from wrangler.jsonc). */
  optionsFor: (config: WorkerOptionsFromConfig) => OptionsFor
  log: (line: string) => void
}

/**
 * What dev does on a change: rebuild, then the least that puts the new code in service. New
 * routes are swapped in (the dev loader evaluates them; objects stay in memory); a new objects
 * bundle, config or assets listing restarts workerd (objects' state lives on in storage); client/
 * alone is rebuilt and served from memory. Open pages reload once the new code answers. A build
 * that fails leaves the last good one serving.
 */
export function createReloader(setup: ReloaderSetup, first: DevBuildResult) {
  const { root, builder, clientReload, log } = setup
  let current = first
  // Whether the last rebuild failed: the next one that succeeds says the fix is live.
  let failing = false
  // workerd lists the assets folder when it starts: a file added or removed needs a restart,
  // while an edited file is served as it is now (client-reload.ts keeps browsers from caching it).
  let assetFiles = listFiles(assetsDir(root, first.config))
  let queue = Promise.resolve(true)
  // The first build's client/ bundles, served from the start (an error is shown, success is not news).
  reportClient(first.client, true)

  /** Rebuilds after `change`; `quiet` reports only what differs from the build dev serves. */
  async function rebuild(change: Change, quiet: boolean): Promise<boolean> {
    if (change === 'client') return rebuildClient()
    const started = performance.now()
    try {
      const next = await builder.build()
      const built = performance.now()
      const { restarted, routesChanged } = await putInService(next, change)
      const fixed = failing
      failing = false
      const clientChanged = reportClient(next.client, quiet)
      if (restarted || routesChanged || change === 'assets') clientReload.reloadPages()
      if (quiet && !restarted && !routesChanged) return true
      const done = performance.now()
      const how = describeSwap({ restarted, routesChanged, clientChanged, change, restartMs: done - built })
      const ms = (from: number, to: number) => Math.round(to - from)
      log(
        `${green('Reloaded')} in ${ms(started, done)} ms ${dim(`(build ${ms(started, built)} ms, ${how})`)}${fixed ? green(': fixed, your latest code is live') : ''}`,
      )
      return true
    } catch (error) {
      failing = true
      log(`${red('Build failed')}, still serving the last good build:\n${describeError(error)}`)
      return false
    }
  }

  /** Restarts workerd if what it started with changed, then publishes the routes bundle. */
  async function putInService(next: DevBuildResult, change: Change) {
    const configChanged = JSON.stringify(next.config) !== JSON.stringify(current.config)
    if (configChanged) for (const note of next.notes) log(dim(note))
    const listing = change === 'assets' ? listFiles(assetsDir(root, next.config)) : assetFiles
    const restarted = next.objectsChanged || configChanged || listing !== assetFiles
    if (restarted) {
      // Pages waiting for a change are answered now, and ask again once workerd is back.
      clientReload.release()
      await setup.runtime.restart(setup.optionsFor(next.config), setup.optionsFor(current.config))
      assetFiles = listFiles(assetsDir(root, next.config))
    }
    const routesChanged = setup.routes.publish(next.routes)
    current = next
    void setup.watcher.update(appPaths(root, assetsDir(root, current.config)))
    return { restarted, routesChanged }
  }

  async function rebuildClient(): Promise<boolean> {
    const client = await builder.buildClient().catch((error: Error) => ({ files: {}, hash: '', ms: 0, error: describeError(error) }))
    return reportClient(client)
  }

  /** Hands new client bundles to the pages; says what happened unless `quiet` and nothing failed. */
  function reportClient(client: DevBuildResult['client'], quiet = false): boolean {
    if (!clientReload.update(client)) return false
    if (client?.error) log(describeClientError(client.error))
    else if (!quiet) log(`${green('Rebuilt')} client/ in ${Math.round(client?.ms ?? 0)} ms ${dim('(pages reload)')}`)
    return true
  }

  return {
    /** The build in service. */
    current: () => current,
    /** Rebuilds after `change`, one rebuild at a time: changes during one are picked up by the next. */
    reload: (change: Change = 'code', quiet = false) => (queue = queue.then(() => rebuild(change, quiet))),
    /** Resolves once the rebuilds queued so far are done. */
    settled: () => queue,
  }
}

function describeSwap(swap: { restarted: boolean; routesChanged: boolean; clientChanged: boolean; change: Change; restartMs: number }) {
  if (swap.restarted) return `workerd restart ${Math.round(swap.restartMs)} ms`
  if (!swap.routesChanged && swap.clientChanged) return 'client/ rebuilt'
  if (!swap.routesChanged && swap.change === 'assets') return 'static file served as edited, no restart'
  return 'routes swapped in, no restart'
}

/** The static assets folder, as wrangler.jsonc names it (public/ unless it says otherwise). */
export function assetsDir(root: string, config: WorkerOptionsFromConfig): string {
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
