import { routesBundleFile, type RoutesBundle } from '@cloudwerk/core/dev-wire'
import { mkdirSync, readdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { generatedPath } from '../pipeline/generated-paths.js'
import { writeAtomically } from '../util/fs.js'

// The dev loader in the Worker (see @cloudwerk/core's dev-loader) asks the dev server which
// routes bundle is current, then reads that version's code from this folder through a workerd
// disk service, reachable only through its binding. The dev server's answer is a Node function
// service, which Miniflare also answers on its loopback port to anyone who sends the header
// `MF-Custom-Fetch-Service`: it used to hand out the whole bundle there; now only a version hash.

/** The folder the `DEV_BINDINGS.routesCode` disk service serves. */
export function routesFolder(root: string): string {
  return generatedPath(root, 'devRoutes')
}

export type RoutesPublisher = ReturnType<typeof createRoutesPublisher>

/** Publishes `first`, and keeps the version the dev server names current. */
export function createRoutesPublisher(root: string, first: RoutesBundle) {
  let current = first
  publishRoutes(root, first)
  return {
    /** The current routes bundle's version: the dev server's answer to the loader. */
    version: () => current.version,
    /** Publishes `next` and names it current; returns whether it is a new version. */
    publish(next: RoutesBundle): boolean {
      const changed = next.version !== current.version
      publishRoutes(root, next, current.version)
      current = next
      return changed
    },
  }
}

/** Writes a routes bundle for the loader to read, before the dev server names it current. */
function publishRoutes(root: string, routes: RoutesBundle, previous?: string): void {
  const folder = routesFolder(root)
  mkdirSync(folder, { recursive: true })
  writeAtomically(join(folder, routesBundleFile(routes.version)), routes.code)
  // The version before stays, for a loader that was told its name just before the change.
  const keep = new Set([routes.version, previous].map((version) => version && routesBundleFile(version)))
  for (const name of readdirSync(folder)) if (!keep.has(name)) rmSync(join(folder, name), { force: true })
}
