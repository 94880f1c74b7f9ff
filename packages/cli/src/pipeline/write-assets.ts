import { cpSync, existsSync, readFileSync, renameSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { UserError } from '../util/errors.js'
import { bundleClient, CLIENT_DIR, findClientEntries } from './bundle-client.js'
import { ASSETS_DIR } from '../wrangler/config.js'

export interface AssetFile {
  /** Path relative to the app root, e.g. `dist/assets/client/main.js`. */
  file: string
  bytes: number
  gzipBytes: number
}

/**
 * Writes the static assets the app deploys with: a copy of public/ and the browser bundles of
 * client/ under client/. It builds beside the last output and swaps it in whole, so a build that
 * fails leaves the last good assets in place. Returns the browser bundles, for the build summary.
 */
export async function writeAssets(root: string): Promise<AssetFile[]> {
  const out = join(root, ASSETS_DIR)
  const next = `${out}.next`
  rmSync(next, { recursive: true, force: true })
  const hasEntries = Object.keys(findClientEntries(root)).length > 0
  if (hasEntries && existsSync(join(root, 'public', CLIENT_DIR))) {
    throw new UserError(
      `public/${CLIENT_DIR}/: both this folder and the bundles of ${CLIENT_DIR}/ would be served under /${CLIENT_DIR}/. Rename public/${CLIENT_DIR}/ (and the URLs that point into it).`,
      `public/${CLIENT_DIR}`,
    )
  }
  if (existsSync(join(root, 'public'))) cpSync(join(root, 'public'), next, { recursive: true })
  let metafile
  try {
    metafile = await bundleClient(root, join(next, CLIENT_DIR))
  } catch (error) {
    rmSync(next, { recursive: true, force: true })
    throw error
  }
  rmSync(out, { recursive: true, force: true })
  renameSync(next, out)
  return Object.keys(metafile?.outputs ?? {})
    .filter((file) => !file.endsWith('.map'))
    .map((file) => {
      const served = file.replace(`${ASSETS_DIR}.next/`, `${ASSETS_DIR}/`)
      const contents = readFileSync(join(root, served))
      return { file: served, bytes: contents.length, gzipBytes: gzipSync(contents).length }
    })
}
