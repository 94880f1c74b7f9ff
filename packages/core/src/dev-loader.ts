// Development only. `cloudwerk dev` serves the app as two bundles: the objects (with the Durable
// Object classes, which workerd must know when it starts) and the routes. A saved route changes
// only the routes bundle, which this loader fetches from the dev server and evaluates in place,
// so the edit goes live without restarting workerd (and the objects stay in memory).

interface DevEnv {
  /** The dev server (a function in Node): answers the current routes bundle, or 304. */
  CLOUDWERK_DEV_ROUTES: { fetch(request: Request): Promise<Response> }
  /** workerd's unsafe-eval binding, which only `cloudwerk dev` grants. */
  CLOUDWERK_DEV_EVAL: { newFunction(code: string, name: string, ...parameters: string[]): (...args: unknown[]) => void }
}

type Handler = ExportedHandler<unknown>

/** Evaluates the routes bundle (CommonJS, its externals given by `modules`) and returns its handler. */
function evaluateRoutes(env: DevEnv, code: string, modules: Record<string, unknown>): Handler {
  const module = { exports: {} as { default?: Handler } }
  const require = (name: string) => {
    if (name in modules) return modules[name]
    throw new Error(`cloudwerk dev: the routes bundle imports "${name}", which the dev loader does not provide.`)
  }
  env.CLOUDWERK_DEV_EVAL.newFunction(code, 'routes.js', 'require', 'module', 'exports')(require, module, module.exports)
  if (!module.exports.default?.fetch) throw new Error('cloudwerk dev: the routes bundle has no default export with fetch().')
  return module.exports.default
}

/**
 * The Worker's default export in dev: asks the dev server for the routes bundle on each request
 * (a loopback call that answers 304 while nothing changed), evaluates a new version once, and
 * hands the request to it. `modules` are what the routes bundle leaves external
 * (`cloudflare:workers`), shared with the objects so both see the same `env`.
 */
export function createDevLoader(options: { modules: Record<string, unknown> }): ExportedHandler<DevEnv> {
  let current: { version: string; handler: Handler } | undefined
  return {
    async fetch(request, env, ctx) {
      const headers: HeadersInit = current ? { 'if-none-match': current.version } : {}
      const response = await env.CLOUDWERK_DEV_ROUTES.fetch(new Request('http://cloudwerk-dev/routes', { headers }))
      if (response.status === 200) {
        const { version, code } = (await response.json()) as { version: string; code: string }
        current = { version, handler: evaluateRoutes(env, code, options.modules) }
      }
      return current!.handler.fetch!(request as never, env, ctx)
    },
  }
}
