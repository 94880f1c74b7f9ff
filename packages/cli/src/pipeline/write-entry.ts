import { withoutSourceExtension } from '@cloudwerk/core/naming'
import { writeIfChanged } from '../util/fs.js'
import { generatedPath } from './generated-paths.js'
import type { Manifest } from './manifest.js'

/**
 * Writes `.cloudwerk/entry.ts`, the Worker entry: imports of the app's modules and plain data
 * handed to hand-written runtime functions (`createApp`, `createDurableObjectClass`).
 */
export function writeEntry(manifest: Manifest, options: EntryOptions = {}): string {
  const name = options.part ? DEV_ENTRIES[options.part] : options.testHooks ? 'testEntry' : 'entry'
  const file = generatedPath(manifest.root, name)
  writeIfChanged(file, renderEntry(manifest, options))
  return file
}

const DEV_ENTRIES = { objects: 'devObjectsEntry', routes: 'devRoutesEntry' } as const

export interface EntryOptions {
  /** For `@cloudwerk/cli/testing` only: objects get the hook that runs an alarm now. */
  testHooks?: boolean
  /**
   * For `cloudwerk dev`: one half of the Worker. `objects` has the classes and a loader that
   * evaluates `routes`, which dev rebuilds and swaps in alone when only routes changed.
   */
  part?: 'objects' | 'routes'
}

export function renderEntry(manifest: Manifest, options: EntryOptions = {}): string {
  const from = (file: string) => JSON.stringify(`../${withoutSourceExtension(file)}`)
  const middlewareIndex = new Map(manifest.middleware.map((m, i) => [m.file, i]))
  const withObjects = options.part !== 'routes'
  const withRoutes = options.part !== 'objects'
  const objectImports = [
    ...(manifest.objects.length ? [`import { createDurableObjectClass } from '@cloudwerk/durable-object'`] : []),
    ...manifest.objects.map((o, i) => `import object${i} from ${from(o.file)}`),
  ]
  const routeImports = [
    `import { createApp } from '@cloudwerk/core/runtime'`,
    ...manifest.middleware.map((m, i) => `import middleware${i} from ${from(m.file)}`),
    ...manifest.routes.map((r, i) => `import * as route${i} from ${from(r.file)}`),
  ]
  const imports = [
    ...(withRoutes
      ? routeImports
      : [`import * as workers from 'cloudflare:workers'`, `import { createDevLoader } from '@cloudwerk/core/dev'`]),
    ...(withObjects ? objectImports : []),
  ]
  const classes = (withObjects ? manifest.objects : []).map(
    (o, i) =>
      `export class ${o.className} extends createDurableObjectClass(object${i}, { name: ${JSON.stringify(o.className)}, file: ${JSON.stringify(o.file)}${options.testHooks ? ', testHooks: true' : ''} }) {}`,
  )
  const routes = manifest.routes.map((r, i) => {
    const middleware = r.middleware.map((file) => `middleware${middlewareIndex.get(file)}`).join(', ')
    return `    { file: ${JSON.stringify(r.file)}, segments: ${JSON.stringify(r.segments)}, module: route${i}, middleware: [${middleware}] },`
  })
  const objects = manifest.objects.map((o) => `    ${o.className}: ${JSON.stringify(o.binding)},`)
  const head = ['// generated from app/ by cloudwerk - do not edit', ...imports, '', ...(classes.length ? [...classes, ''] : [])]
  if (!withRoutes) return [...head, `export default createDevLoader({ modules: { 'cloudflare:workers': workers } })`, ''].join('\n')
  return [
    ...head,
    'export default createApp({',
    routes.length ? `  routes: [\n${routes.join('\n')}\n  ],` : '  routes: [],',
    objects.length ? `  objects: {\n${objects.join('\n')}\n  },` : '  objects: {},',
    '})',
    '',
  ].join('\n')
}
