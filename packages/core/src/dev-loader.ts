// Development only. `cloudwerk dev` serves the app as two bundles: the objects (with the Durable
// Object classes, which workerd must know when it starts) and the routes. A saved route changes
// only the routes bundle, which this loader reads and evaluates in place,
// so the edit goes live without restarting workerd (and the objects stay in memory). The code is
// read from a folder the dev server writes (a workerd disk service, reachable only through the
// binding); only its version comes from the dev server.

import { DEV_BINDINGS, routesBundleFile } from './dev-wire.js'

interface DevEnv {
  [DEV_BINDINGS.routes]: Fetch
  [DEV_BINDINGS.routesCode]: Fetch
  [DEV_BINDINGS.eval]: { newFunction(code: string, name: string, ...parameters: string[]): (...args: unknown[]) => void }
}

type Handler = ExportedHandler<unknown>
type Fetch = { fetch(url: string): Promise<Response> }

/** Evaluates the routes bundle (CommonJS, its externals given by `modules`) and returns its handler. */
function evaluateRoutes(env: DevEnv, code: string, modules: Record<string, unknown>): Handler {
  const module = { exports: {} as { default?: Handler } }
  const require = (name: string) => {
    if (name in modules) return modules[name]
    throw new Error(`cloudwerk dev: the routes bundle imports "${name}", which the dev loader does not provide.`)
  }
  env[DEV_BINDINGS.eval].newFunction(code, 'routes.js', 'require', 'module', 'exports')(require, module, module.exports)
  if (!module.exports.default?.fetch) throw new Error('cloudwerk dev: the routes bundle has no default export with fetch().')
  return module.exports.default
}

/**
 * The Worker's default export in dev: asks the dev server which routes bundle is current on each
 * request (a loopback call answering a few bytes), evaluates a new version once, and hands the
 * request to it. `modules` are
 * what the routes bundle leaves external (`cloudflare:workers`), shared with the objects so both
 * see the same `env`.
 */
export function createDevLoader(options: { modules: Record<string, unknown> }): ExportedHandler<DevEnv> {
  let current: { version: string; handler: Handler } | undefined
  return {
    async fetch(request, env, ctx) {
      const version = await read(env[DEV_BINDINGS.routes], 'version')
      if (version !== current?.version) {
        const code = await read(env[DEV_BINDINGS.routesCode], routesBundleFile(version))
        current = { version, handler: evaluateRoutes(env, code, options.modules) }
      }
      return current.handler.fetch!(request as never, env, ctx)
    },
  }
}

async function read(service: Fetch, name: string): Promise<string> {
  const response = await service.fetch(`http://cloudwerk-dev/${name}`)
  if (!response.ok) throw new Error(`cloudwerk dev: could not read the routes bundle's ${name} (${response.status}).`)
  return response.text()
}
