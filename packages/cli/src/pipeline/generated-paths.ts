import { join } from 'node:path'

/** The folder of everything Cloudwerk generates in an app (git-ignored, rewritten by every build). */
export const GENERATED_DIR = '.cloudwerk'

const generated = (...parts: string[]) => join(GENERATED_DIR, ...parts)

/**
 * Every file and folder Cloudwerk writes under `.cloudwerk/`, relative to the app's root. Users'
 * tsconfig files and wrangler commands name some of them (entry, types, client types): those
 * names are a contract.
 */
export const GENERATED = {
  /** The Worker entry `cloudwerk build` bundles, and the vitest pool's `main`. */
  entry: generated('entry.ts'),
  /** The entry of `@cloudwerk/cli/testing`: the objects with their test hooks. */
  testEntry: generated('test-entry.ts'),
  /** `cloudwerk dev`'s two entries: the objects with the routes loader, and the routes. */
  devObjectsEntry: generated('dev-objects.ts'),
  devRoutesEntry: generated('dev-routes.ts'),
  /** The typed object stubs (`durableObjects.<Class>`), and the hash that skips rewriting them. */
  types: generated('types.d.ts'),
  typesHash: generated('types.hash'),
  /** What worker-configuration.d.ts was generated from (and its hash): unchanged, wrangler is not asked again. */
  workerTypesHash: generated('worker-configuration.hash'),
  /** Browser-side types, included by `client/tsconfig.json` (DOM types, no Workers types). */
  clientTypes: generated('client-types.d.ts'),
  /** The name the definitions check gives its bundle, for stack traces (never written). */
  checkDefinitions: generated('check-definitions.js'),
  /** `cloudwerk dev`: the objects bundle workerd runs, and a copy of the last one it accepted. */
  devObjectsBundle: generated('dev', 'build', 'index.js'),
  devGoodBundle: generated('dev', 'good', 'index.js'),
  /** `cloudwerk dev`: the routes bundles the dev loader reads, one `<version>.js` each. */
  devRoutes: generated('dev', 'routes'),
  /** `cloudwerk dev`: client/'s bundles (served from memory; the folder names their paths). */
  devClient: generated('dev', 'client'),
  /** `cloudwerk dev`: Miniflare's options from wrangler.jsonc, and the last build, to start from. */
  devWranglerOptions: generated('dev', 'wrangler-options.json'),
  devLastBuild: generated('dev', 'last-build.json'),
} as const

/** Where `name` is in the app at `root`. */
export function generatedPath(root: string, name: keyof typeof GENERATED): string {
  return join(root, GENERATED[name])
}
