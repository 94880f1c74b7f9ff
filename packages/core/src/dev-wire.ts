// What `cloudwerk dev` (Node, @cloudwerk/cli's dev server) and its loader in the Worker
// (dev-loader.ts) agree on: the names of the bindings between them and the shape of a routes
// bundle. Names and shapes only, so that both sides import it: the Worker's bundle and Node.

/** The bindings the dev server gives the app's Worker, by their names in `env`. */
export const DEV_BINDINGS = {
  /** A Node function service: answers the current routes bundle's version, as text. */
  routes: 'CLOUDWERK_DEV_ROUTES',
  /** A workerd disk service over the folder of routes bundles, one `routesBundleFile(version)` each. */
  routesCode: 'CLOUDWERK_DEV_ROUTES_CODE',
  /** workerd's unsafe-eval binding, which only `cloudwerk dev` grants. */
  eval: 'CLOUDWERK_DEV_EVAL',
} as const

/** A routes bundle as the dev server publishes it: CommonJS code, and its version (a hash of the code). */
export interface RoutesBundle {
  version: string
  code: string
}

/** The name of a routes bundle's file in the folder `DEV_BINDINGS.routesCode` serves. */
export function routesBundleFile(version: string): string {
  return `${version}.js`
}
