import * as esbuild from 'esbuild'
import { readdirSync } from 'node:fs'
import { join, relative } from 'node:path'
import { UserError } from '../util/errors.js'
import { toUserError } from './bundle.js'

export const CLIENT_DIR = 'client'

/** Where browser bundles are served from: `client/main.ts` is `/client/main.js`. */
export const CLIENT_URL_PREFIX = '/client/'

const ENTRY = /^[^.].*(?<!\.d)\.(ts|tsx|js|jsx)$/
// Files an entry may import that esbuild copies beside the bundles, served by URL.
const FILE_LOADERS = Object.fromEntries(
  ['.png', '.jpg', '.jpeg', '.gif', '.webp', '.avif', '.svg', '.ico', '.woff', '.woff2', '.ttf', '.otf'].map((ext) => [
    ext,
    'file' as const,
  ]),
)

/**
 * The browser entries: every `.ts`, `.tsx`, `.js` or `.jsx` file directly in client/ (files in
 * subfolders are modules they import), keyed by the name they are served under.
 */
export function findClientEntries(root: string): Record<string, string> {
  let names: string[]
  try {
    names = readdirSync(join(root, CLIENT_DIR), { withFileTypes: true })
      .filter((entry) => entry.isFile() && ENTRY.test(entry.name) && !/\.(test|spec)\.[jt]sx?$/.test(entry.name))
      .map((entry) => entry.name)
      .sort()
  } catch {
    return {}
  }
  const entries: Record<string, string> = {}
  for (const name of names) {
    const served = name.replace(/\.[^.]+$/, '')
    const file = `${CLIENT_DIR}/${name}`
    if (entries[served]) {
      throw new UserError(
        `${file}: ${entries[served]} and ${file} would both be served as ${CLIENT_URL_PREFIX}${served}.js. Rename one of them.`,
        file,
      )
    }
    entries[served] = file
  }
  return entries
}

/**
 * esbuild settings for the browser: ES modules with shared chunks split out, so two entries
 * that import the same module load it once. Deploy builds are minified with source maps.
 */
export function clientBuildOptions(
  root: string,
  entries: Record<string, string>,
  outdir: string,
  options: { dev?: boolean } = {},
): esbuild.BuildOptions {
  return {
    absWorkingDir: root,
    entryPoints: Object.entries(entries).map(([out, file]) => ({ in: file, out })),
    bundle: true,
    format: 'esm',
    splitting: true,
    platform: 'browser',
    target: 'es2022',
    outdir,
    entryNames: '[name]',
    chunkNames: 'chunks/[name]-[hash]',
    assetNames: 'assets/[name]-[hash]',
    loader: FILE_LOADERS,
    jsx: 'automatic',
    // Libraries such as React choose their development or production build by this.
    define: { 'process.env.NODE_ENV': JSON.stringify(options.dev ? 'development' : 'production') },
    minify: !options.dev,
    sourcemap: 'linked',
    legalComments: 'none',
    metafile: true,
    logLevel: 'silent',
    plugins: [refuseServerModules],
  }
}

/**
 * `node:*` and `cloudflare:*` exist only where the Worker runs: in a browser bundle they would
 * fail at load, so the build stops at the import, naming the file and what to do instead.
 */
const refuseServerModules: esbuild.Plugin = {
  name: 'cloudwerk-refuse-server-modules',
  setup(build) {
    build.onResolve({ filter: /^(node|cloudflare):/ }, (args) => ({
      errors: [
        {
          text:
            `"${args.path}" runs only in the Worker, but ${relative(build.initialOptions.absWorkingDir ?? process.cwd(), args.importer)} is browser code (bundled from ${CLIENT_DIR}/). ` +
            `Move the code that needs it into app/ (a route or an object) and reach it from the page with fetch() or a WebSocket; share only types and pure functions with ${CLIENT_DIR}/.`,
        },
      ],
    }))
  },
}

/** Builds client/ into `outdir` for deploy. Rejects with a UserError listing esbuild's errors. */
export async function bundleClient(root: string, outdir: string): Promise<esbuild.Metafile | undefined> {
  const entries = findClientEntries(root)
  if (!Object.keys(entries).length) return undefined
  try {
    const result = await esbuild.build(clientBuildOptions(root, entries, outdir))
    return result.metafile
  } catch (error) {
    throw toUserError(error)
  }
}
