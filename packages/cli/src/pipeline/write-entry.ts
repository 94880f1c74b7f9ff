import { withoutSourceExtension } from '@cloudwerk/core/naming'
import { writeIfChanged } from '../util/fs.js'
import { generatedPath } from './generated-paths.js'
import type { Manifest } from './manifest.js'

// The Worker entries: imports of the app's modules and plain data handed to hand-written runtime
// functions (`createApp`, `createDurableObjectClass`, `createDevLoader`). One renderer per file.

/** The entry files, by their name in generated-paths.ts. */
const RENDERERS = {
  entry: renderEntry,
  testEntry: renderTestEntry,
  devObjectsEntry: renderDevObjectsEntry,
  devRoutesEntry: renderDevRoutesEntry,
}

export type EntryName = keyof typeof RENDERERS

/** Writes one of the entries into `.cloudwerk/` (only if it changed) and returns its path. */
export function writeEntry(manifest: Manifest, name: EntryName = 'entry'): string {
  const file = generatedPath(manifest.root, name)
  writeIfChanged(file, RENDERERS[name](manifest))
  return file
}

/** `.cloudwerk/entry.ts`, what `cloudwerk build` bundles: the routes, and a class per object. */
export function renderEntry(manifest: Manifest): string {
  return render([...routeImports(manifest), ...objectImports(manifest)], objectClasses(manifest), appExport(manifest))
}

/** `.cloudwerk/test-entry.ts`, for `@cloudwerk/cli/testing`: objects get the hook that runs an alarm now. */
export function renderTestEntry(manifest: Manifest): string {
  return render([...routeImports(manifest), ...objectImports(manifest)], objectClasses(manifest, { testHooks: true }), appExport(manifest))
}

/**
 * `.cloudwerk/dev-objects.ts`, the half of the Worker `cloudwerk dev` starts workerd with: the
 * classes, and a loader that evaluates the routes half, which dev swaps in alone when only routes
 * changed. The routes half imports `cloudflare:workers` from here, so both see the same `env`.
 */
export function renderDevObjectsEntry(manifest: Manifest): string {
  const imports = [`import * as workers from 'cloudflare:workers'`, `import { createDevLoader } from '@cloudwerk/core/dev'`]
  const loader = [`export default createDevLoader({ modules: { 'cloudflare:workers': workers } })`]
  return render([...imports, ...objectImports(manifest)], objectClasses(manifest), loader)
}

/** `.cloudwerk/dev-routes.ts`, the routes half of the Worker in `cloudwerk dev` (see renderDevObjectsEntry). */
export function renderDevRoutesEntry(manifest: Manifest): string {
  return render(routeImports(manifest), [], appExport(manifest))
}

function render(imports: string[], classes: string[], defaultExport: string[]): string {
  const lines = ['// generated from app/ by cloudwerk - do not edit', ...imports, '']
  if (classes.length) lines.push(...classes, '')
  return [...lines, ...defaultExport, ''].join('\n')
}

// Module paths as seen from .cloudwerk/, without the source extension (esbuild finds the file).
const from = (file: string) => JSON.stringify(`../${withoutSourceExtension(file)}`)

function routeImports(manifest: Manifest): string[] {
  return [
    `import { createApp } from '@cloudwerk/core/runtime'`,
    ...manifest.middleware.map((m, i) => `import middleware${i} from ${from(m.file)}`),
    ...manifest.routes.map((r, i) => `import * as route${i} from ${from(r.file)}`),
  ]
}

function objectImports(manifest: Manifest): string[] {
  if (!manifest.objects.length) return []
  return [
    `import { createDurableObjectClass } from '@cloudwerk/durable-object'`,
    ...manifest.objects.map((o, i) => `import object${i} from ${from(o.file)}`),
  ]
}

function objectClasses(manifest: Manifest, options: { testHooks?: boolean } = {}): string[] {
  const hooks = options.testHooks ? ', testHooks: true' : ''
  return manifest.objects.map(
    (o, i) =>
      `export class ${o.className} extends createDurableObjectClass(object${i}, { name: ${JSON.stringify(o.className)}, file: ${JSON.stringify(o.file)}${hooks} }) {}`,
  )
}

/** The router: each route's segments, module and middleware, and each object's binding. */
function appExport(manifest: Manifest): string[] {
  const middlewareIndex = new Map(manifest.middleware.map((m, i) => [m.file, i]))
  const routes = manifest.routes.map((r, i) => {
    const middleware = r.middleware.map((file) => `middleware${middlewareIndex.get(file)}`).join(', ')
    return `    { file: ${JSON.stringify(r.file)}, segments: ${JSON.stringify(r.segments)}, module: route${i}, middleware: [${middleware}] },`
  })
  const objects = manifest.objects.map((o) => `    ${o.className}: ${JSON.stringify(o.binding)},`)
  return [
    'export default createApp({',
    routes.length ? `  routes: [\n${routes.join('\n')}\n  ],` : '  routes: [],',
    objects.length ? `  objects: {\n${objects.join('\n')}\n  },` : '  objects: {},',
    '})',
  ]
}
