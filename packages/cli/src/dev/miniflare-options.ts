import { DEV_BINDINGS } from '@cloudwerk/core/dev-wire'
import { DEV_FLAG } from '@cloudwerk/durable-object/shared/dev-flag'
import type { MiniflareOptions } from 'miniflare'
import { readFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { frontWorker } from './front-worker.js'
import { devWorkerName, keepLegacyKeys } from './worker-name.js'
import { persistOptions } from './local-state.js'
import type { WorkerOptionsFromConfig } from './wrangler-options.js'

/** What the dev server's Workers are wired to; the same for every restart. */
export interface DevWorkersSetup {
  root: string
  port: number
  host: string
  /** Where every `cloudwerk dev` and `wrangler dev` lists its Worker, so Workers reach each other. */
  registry: string
  /** Answers the dev loader with the current routes bundle's version (a Miniflare Response). */
  serveRoutesVersion: () => unknown
  /** The folder of routes bundles the dev loader reads. */
  routesFolder: string
  /** Node's answers to the dev requests the front Worker hands over (state view, client/, reload poll). */
  serveDevRequests: (request: Request) => unknown
}

/**
 * Miniflare's options in dev: the app's Worker running `script` (the objects bundle) as `config`
 * (from wrangler.jsonc) says, behind the front Worker, which every request reaches first.
 */
export function devMiniflareOptions(setup: DevWorkersSetup, script: string, config: WorkerOptionsFromConfig): MiniflareOptions {
  const app = appWorker(setup, script, config)
  const front = frontWorker(app.name, setup.serveDevRequests)
  // The app's options double as the shared ones (port, host, persistence).
  return { ...app, workers: [front, app] } as MiniflareOptions
}

function appWorker(setup: DevWorkersSetup, script: string, config: WorkerOptionsFromConfig) {
  return {
    ...config,
    // The deployed name: other Workers in dev reach this one's objects and services by it.
    name: devWorkerName(config),
    durableObjects: keepLegacyKeys(setup.root, config),
    unsafeDevRegistryPath: setup.registry,
    // Module names are paths relative to this root, and workerd refuses names that climb out of it.
    modulesRoot: dirname(script),
    // The bundle is one module importing only cloudflare:* and node:*: listing it spares Miniflare
    // parsing it to look for others (60 ms of every start and restart).
    modules: [{ type: 'ESModule', path: script, contents: readFileSync(script, 'utf8') }],
    bindings: { ...(config.bindings as Record<string, unknown>), [DEV_FLAG]: true },
    // The dev loader's wires (see @cloudwerk/core/dev-wire): the version from Node, the code from a folder.
    serviceBindings: {
      ...config.serviceBindings,
      [DEV_BINDINGS.routes]: setup.serveRoutesVersion,
      [DEV_BINDINGS.routesCode]: { disk: { path: setup.routesFolder, writable: false } },
    },
    unsafeEvalBinding: DEV_BINDINGS.eval,
    port: setup.port,
    host: setup.host,
    cf: false,
    // wrangler's data browser at /cdn-cgi/explorer (and the API the state view reads: state-view.ts).
    unsafeLocalExplorer: true,
    ...persistOptions(setup.root),
  }
}
