import { readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { bundle, OUT_FILE } from './bundle.js'
import { checkDefinitions } from './check-definitions.js'
import type { Manifest } from './manifest.js'
import { bindingNames, isFolder, reconcileWrangler } from '../wrangler/reconcile.js'
import { scanApp } from './scan.js'
import { ASSETS_DIR, readConfig, saveConfig, type ConfigFile } from '../wrangler/config.js'
import { writeEntry } from './write-entry.js'
import { writeAssets, type AssetFile } from './write-assets.js'
import { writeTypes } from './write-types.js'

export interface BuildResult {
  manifest: Manifest
  entry: string
  outFile: string
  bytes: number
  gzipBytes: number
  /** The browser bundles of client/ (none when the app has no client/ entries). */
  client: AssetFile[]
  ms: number
}

/**
 * `cloudwerk build`: prepare (scan -> plan wrangler.jsonc -> check definitions -> write entry and
 * types) -> bundle the Worker -> write the static assets -> save wrangler.jsonc.
 * The config is saved last: a build that fails on the way leaves wrangler.jsonc as it was,
 * instead of holding a migration for an object file that does not compile yet.
 */
export async function buildApp(root: string, options: { types?: boolean } = {}): Promise<BuildResult> {
  const started = performance.now()
  const app = await prepareApp(root, options)
  await bundle(root, app.entry)
  const client = app.ownsAssets ? await writeAssets(root) : []
  saveConfig(app.config)
  return describeBuild(root, app, client, started)
}

export interface PreparedApp {
  manifest: Manifest
  /** `.cloudwerk/entry.ts`. */
  entry: string
  /** wrangler.jsonc as this build needs it, not saved yet: see `saveConfig`. */
  config: ConfigFile
  /** Whether `assets.directory` is the build's output, which writeAssets() fills. */
  ownsAssets: boolean
}

/**
 * The steps every command runs before its own (`build` bundles, `dev` bundles in two halves, the
 * test helpers bundle with hooks): scan app/ -> plan wrangler.jsonc -> check each object
 * definition (by loading it) -> write the entry and the types. The config is planned first, so a
 * broken wrangler.jsonc is reported before the slower steps; it is returned unsaved, for the
 * caller to save once its own steps have succeeded (or never, as tests do).
 */
export async function prepareApp(root: string, options: { types?: boolean } = {}): Promise<PreparedApp> {
  const scanned = scanApp(root)
  const config = reconcileWrangler(scanned, { defaultName: packageName(root), save: false })
  await checkDefinitions(scanned)
  const manifest = bindingNames(scanned, config)
  const entry = writeEntry(manifest)
  if (options.types !== false) await writeTypes(manifest)
  const ownsAssets = isFolder(config.value.assets?.directory ?? '', ASSETS_DIR)
  return { manifest, entry, config, ownsAssets }
}

/** The manifest with each object's binding name as wrangler.jsonc has it (for commands that only read). */
export function readManifest(root: string): Manifest {
  const manifest = scanApp(root)
  const config = readConfig(root)
  return config ? bindingNames(manifest, config) : manifest
}

function describeBuild(root: string, { manifest, entry }: PreparedApp, client: AssetFile[], started: number): BuildResult {
  const outFile = join(root, OUT_FILE)
  return {
    manifest,
    entry,
    outFile,
    bytes: statSync(outFile).size,
    gzipBytes: gzipSync(readFileSync(outFile)).length,
    client,
    ms: performance.now() - started,
  }
}

function packageName(root: string): string | undefined {
  try {
    const name = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).name as string | undefined
    return name
      ?.replace(/^@[^/]+\//, '')
      .replace(/[^a-z0-9-]/gi, '-')
      .toLowerCase()
  } catch {
    return undefined
  }
}
