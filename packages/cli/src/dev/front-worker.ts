import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { COMPATIBILITY_DATE } from '../wrangler/config.js'
import { FRONT_BINDINGS } from '../workers/front-wire.js'

// The front Worker's compiled modules (tsconfig.workers.json), from this file in src/ or in dist/.
// Listed as they are, not bundled: esbuild would cost every dev start about 0.1 s on this thread,
// and the two small modules need nothing resolved.
const FOLDER = fileURLToPath(new URL('../../dist/workers/', import.meta.url))
const MODULES = ['dev-front.js', 'front-wire.js']

/**
 * The Worker in front of the app (src/workers/dev-front.ts), as Miniflare options: it hands the
 * dev server's paths and client/'s bundles to `serveDev` (Node) and everything else to `appName`.
 */
export function frontWorker(appName: string, serveDev: (request: Request) => unknown) {
  return {
    modulesRoot: FOLDER,
    modules: MODULES.map((path) => ({ type: 'ESModule' as const, path: FOLDER + path, contents: readFileSync(FOLDER + path, 'utf8') })),
    // The front Worker is ours, not the app's: it runs on the date it was written for.
    compatibilityDate: COMPATIBILITY_DATE,
    serviceBindings: { [FRONT_BINDINGS.app]: appName, [FRONT_BINDINGS.client]: serveDev },
  }
}
