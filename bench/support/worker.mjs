// One Miniflare setup for the benchmarks that drive a Worker with plain requests: the Worker
// bundled as `cloudwerk build` bundles it, at the build's compatibility date, objects on SQLite.
import { COMPATIBILITY_DATE } from '../../packages/cli/dist/wrangler/config.js'
import { bundleWorker } from './bundle.mjs'

/**
 * Miniflare options for the benchmark Worker `entry` (a .ts file) with `objects` (binding ->
 * class name); `extra` adds or overrides options (persistence, flags, service bindings).
 */
export async function benchWorkerOptions(entry, objects, extra = {}) {
  return {
    modules: true,
    script: await bundleWorker(entry),
    scriptPath: entry.replace(/\.ts$/, '.js'),
    compatibilityDate: COMPATIBILITY_DATE,
    cf: false,
    durableObjects: Object.fromEntries(Object.entries(objects).map(([binding, className]) => [binding, { className, useSQLite: true }])),
    ...extra,
  }
}

/** GET `path` from the Worker in `mf` as JSON; an answer that is not ok throws with its body. */
export async function getJson(mf, path) {
  const response = await mf.dispatchFetch(`http://bench.local${path}`)
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`)
  return response.json()
}
