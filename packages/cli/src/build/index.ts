import { readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { bundle, OUT_FILE } from './bundle.js'
import type { Manifest } from './manifest.js'
import { reconcileWrangler } from './reconcile-wrangler.js'
import { scanApp } from './scan.js'
import { writeEntry } from './write-entry.js'
import { writeTypes } from './write-types.js'

export interface BuildResult {
  manifest: Manifest
  entry: string
  outFile: string
  bytes: number
  gzipBytes: number
  ms: number
}

/** Everything before bundling: read app/, write generated code and types, sync wrangler config. */
export async function prepareApp(root: string, options: { types?: boolean } = {}): Promise<{ manifest: Manifest; entry: string }> {
  const manifest = scanApp(root)
  reconcileWrangler(manifest, { defaultName: packageName(root) })
  const entry = writeEntry(manifest)
  if (options.types !== false) await writeTypes(manifest)
  return { manifest, entry }
}

/** `cloudwerk build`: scan -> generate -> reconcile wrangler -> bundle. */
export async function buildApp(root: string, options: { types?: boolean } = {}): Promise<BuildResult> {
  const started = performance.now()
  const { manifest, entry } = await prepareApp(root, options)
  await bundle(root, entry)
  const outFile = join(root, OUT_FILE)
  return {
    manifest,
    entry,
    outFile,
    bytes: statSync(outFile).size,
    gzipBytes: gzipSync(readFileSync(outFile)).length,
    ms: performance.now() - started,
  }
}

function packageName(root: string): string | undefined {
  try {
    const name = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).name as string | undefined
    return name?.replace(/^@[^/]+\//, '').replace(/[^a-z0-9-]/gi, '-').toLowerCase()
  } catch {
    return undefined
  }
}
