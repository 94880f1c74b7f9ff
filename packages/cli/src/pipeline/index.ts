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
 * Everything before bundling: read app/, check each object definition (by loading it), write
 * generated code and types, sync wrangler config.
 * With `deferConfig`, wrangler.jsonc is checked and planned but written only by `saveConfig()`,
 * which the caller runs once the Worker has bundled: a build that fails then leaves the file as
 * it was, instead of holding a migration for an object file that does not compile yet.
 */
export async function prepareApp(
  root: string,
  options: { types?: boolean; deferConfig?: boolean } = {},
): Promise<{ manifest: Manifest; entry: string; config: ConfigFile; saveConfig(): void; ownsAssets: boolean }> {
  const scanned = scanApp(root)
  const config = reconcileWrangler(scanned, { defaultName: packageName(root), save: false })
  await checkDefinitions(scanned)
  if (!options.deferConfig) saveConfig(config)
  const manifest = bindingNames(scanned, config)
  const entry = writeEntry(manifest)
  if (options.types !== false) await writeTypes(manifest)
  // Whether `assets.directory` is the build's output, which writeAssets() fills.
  const ownsAssets = isFolder(config.value.assets?.directory ?? '', ASSETS_DIR)
  return { manifest, entry, config, saveConfig: () => void saveConfig(config), ownsAssets }
}

/** The manifest with each object's binding name as wrangler.jsonc has it (for commands that only read). */
export function readManifest(root: string): Manifest {
  const manifest = scanApp(root)
  const config = readConfig(root)
  return config ? bindingNames(manifest, config) : manifest
}

/** `cloudwerk build`: scan -> generate -> reconcile wrangler -> bundle the Worker -> write the static assets. */
export async function buildApp(root: string, options: { types?: boolean } = {}): Promise<BuildResult> {
  const started = performance.now()
  const { manifest, entry, ...prepared } = await prepareApp(root, { ...options, deferConfig: true })
  await bundle(root, entry)
  const client = prepared.ownsAssets ? await writeAssets(root) : []
  prepared.saveConfig()
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
