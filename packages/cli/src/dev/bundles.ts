import type { RoutesBundle } from '@cloudwerk/core/dev-wire'
import * as esbuild from 'esbuild'
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { bundleOptions, WORKER_BUNDLE } from '../pipeline/bundle.js'
import type { Manifest } from '../pipeline/manifest.js'
import { moduleRulesPlugin } from '../pipeline/module-rules.js'
import { generatedPath } from '../pipeline/generated-paths.js'
import { writeEntry } from '../pipeline/write-entry.js'

export interface DevBuild {
  /** Whether the objects bundle (what workerd was started with) differs from the last build. */
  objectsChanged: boolean
  /** A hash of the objects bundle. */
  objectsHash: string
  routes: RoutesBundle
}

/**
 * The two halves `cloudwerk dev` serves (see @cloudwerk/core/dev): the objects bundle, which
 * workerd loads at start, and the routes bundle, which the objects bundle's loader evaluates.
 * Both are incremental esbuild contexts. Only a change to the objects bundle needs a restart.
 */
export async function createDevBundles(root: string, manifest: Manifest, options: { objectsHash?: string } = {}) {
  const objectsFile = generatedPath(root, 'devObjectsBundle')
  const entries = () => ({
    objects: writeEntry(manifest, 'devObjectsEntry'),
    routes: writeEntry(manifest, 'devRoutesEntry'),
  })
  const { objects, routes } = entries()
  const objectsContext = await esbuild.context({ ...bundleOptions(root, objects), outfile: objectsFile })
  const routesContext = await esbuild.context({
    ...WORKER_BUNDLE,
    absWorkingDir: root,
    entryPoints: [routes],
    // Evaluated by the dev loader with a `require` that hands out the shared cloudflare:workers.
    format: 'cjs',
    write: false,
    metafile: true,
    logLevel: 'silent',
    plugins: [moduleRulesPlugin(root)],
  })
  // The bundle workerd runs, when it was built before (see last-build.ts): not a change.
  let objectsHash = options.objectsHash ?? ''

  /** Builds both bundles; `inputs` are the files they were made from, relative to the root. */
  async function build(next: Manifest): Promise<DevBuild & { inputs: string[] }> {
    manifest = next
    entries()
    const [objectsResult, routesResult] = await Promise.all([objectsContext.rebuild(), routesContext.rebuild()])
    const inputs = [...new Set([...Object.keys(objectsResult.metafile!.inputs), ...Object.keys(routesResult.metafile!.inputs)])]
    const hash = (data: string | Buffer) => createHash('sha256').update(data).digest('hex').slice(0, 16)
    const nextObjectsHash = hash(readFileSync(objectsFile))
    const objectsChanged = nextObjectsHash !== objectsHash
    objectsHash = nextObjectsHash
    const code = routesResult.outputFiles![0].text
    return { objectsChanged, objectsHash, routes: { version: hash(code), code }, inputs }
  }

  return {
    objectsFile,
    build,
    async dispose() {
      await Promise.all([objectsContext.dispose(), routesContext.dispose()])
    },
  }
}
