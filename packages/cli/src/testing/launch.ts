import * as esbuild from 'esbuild'
import { Miniflare, type MiniflareOptions } from 'miniflare'
import { join, resolve } from 'node:path'
import { bundleOptions } from '../pipeline/bundle.js'
import { prepareApp } from '../pipeline/index.js'
import type { Manifest } from '../pipeline/manifest.js'
import { findConfig } from '../wrangler/config.js'
import { writeAssets } from '../pipeline/write-assets.js'
import { writeEntry } from '../pipeline/write-entry.js'
import { wranglerWorkerOptions, type WorkerOptionsFromConfig } from '../dev/wrangler-options.js'
import { bridgeScript, callThroughBridge, type BridgeCall } from './bridge.js'

const APP = 'app'
const BRIDGE = 'cloudwerk-test-bridge'

/** The app under test running in workerd, and a way to call its objects (and their test hooks). */
export interface LaunchedApp {
  readonly mf: Miniflare
  manifest: Manifest
  call(request: BridgeCall): Promise<unknown>
  /** Restarts workerd on the same storage. */
  restart(): Promise<void>
}

export interface LaunchOptions {
  /** Vars over those of wrangler.jsonc and .dev.vars. */
  vars?: Record<string, string>
  /**
   * The storage key objects have elsewhere (a folder of .wrangler/state/v3/do), by class name,
   * so that a copy of that data opens as it is.
   */
  objectKeys?: Record<string, string>
}

/**
 * Builds the app in `root` with its objects' test hooks and runs it in workerd on `storage`, with
 * the bridge Worker beside it.
 */
export async function launchWithHooks(root: string, storage: string, { vars, objectKeys = {} }: LaunchOptions = {}): Promise<LaunchedApp> {
  // A test run never changes the deploy config: the objects' bindings and migrations that a build
  // would add to wrangler.jsonc are given to this test's workerd only.
  const { manifest, ownsAssets, config: reconciled } = await prepareApp(root)
  const entry = writeEntry(manifest, 'testEntry')
  const script = join(storage, 'index.js')
  await esbuild.build({ ...bundleOptions(root, entry), outfile: script, metafile: false })
  // The static assets as they deploy (public/ copied, client/ bundled), where wrangler.jsonc points.
  if (ownsAssets) await writeAssets(root)
  const configPath = findConfig(root)
  const fromConfig: WorkerOptionsFromConfig = {
    ...(configPath ? await wranglerWorkerOptions(root, configPath) : {}),
    compatibilityDate: reconciled.value.compatibility_date,
  }
  // Where the build would point `assets` (dist/assets, when there is public/ or client/), also
  // when wrangler.jsonc does not say so yet. Then wrangler gave no router settings, and without
  // `has_user_worker` the assets router answers every request itself (404 for every route).
  const assets = reconciled.value.assets
  if (assets?.directory)
    fromConfig.assets = {
      routerConfig: { has_user_worker: true },
      ...(fromConfig.assets as object),
      directory: resolve(root, assets.directory),
      ...(assets.binding ? { binding: assets.binding } : {}),
    }
  const bound = {
    ...fromConfig.durableObjects,
    ...Object.fromEntries(manifest.objects.map((o) => [o.binding, { className: o.className, useSQLite: true }])),
  }
  const durableObjects = Object.fromEntries(
    Object.entries(bound).map(([binding, object]) => [
      binding,
      objectKeys[object.className] ? { ...object, unsafeUniqueKey: objectKeys[object.className] } : object,
    ]),
  )
  const config = {
    cf: false,
    durableObjectsPersist: join(storage, 'do'),
    kvPersist: join(storage, 'kv'),
    d1Persist: join(storage, 'd1'),
    r2Persist: join(storage, 'r2'),
    workers: [
      {
        ...fromConfig,
        bindings: { ...(fromConfig as { bindings?: Record<string, unknown> }).bindings, ...vars },
        durableObjects,
        name: APP,
        modules: true,
        // Module names are paths relative to this root, and workerd refuses names that climb out of it.
        modulesRoot: storage,
        scriptPath: script,
      },
      {
        name: BRIDGE,
        modules: true,
        script: await bridgeScript(),
        compatibilityDate: fromConfig.compatibilityDate,
        durableObjects: Object.fromEntries(manifest.objects.map((o) => [o.binding, { className: o.className, scriptName: APP }])),
      },
    ],
  } as MiniflareOptions
  let mf = new Miniflare(config)
  await mf.ready
  return {
    get mf() {
      return mf
    },
    manifest,
    call: async (request) => callThroughBridge((await mf.getWorker(BRIDGE)) as never, request),
    async restart() {
      await mf.dispose()
      mf = new Miniflare(config)
      await mf.ready
    },
  }
}
