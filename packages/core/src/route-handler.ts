import { isDev } from '@cloudwerk/durable-object/shared/dev-flag'
import { respondToError } from './error-response.js'
import { json } from './respond.js'
import { ROUTE_METHODS } from './route-path.js'
import type { Middleware, RouteContext, RouteEntry, RouteMethod } from './types.js'

type Responder = (request: Request, context: RouteContext<any, any>) => Promise<Response>

/**
 * The methods a route answers, for `Allow`: what it exports, HEAD wherever GET is (it is served
 * by GET without the body), and OPTIONS always (answered with this list unless exported).
 */
export function allowedMethods(module: RouteEntry['module']): RouteMethod[] {
  const exported = new Set<RouteMethod>(ROUTE_METHODS.filter((method) => module[method] !== undefined))
  if (exported.has('GET')) exported.add('HEAD')
  exported.add('OPTIONS')
  return ROUTE_METHODS.filter((method) => exported.has(method))
}

function checkExports(route: RouteEntry): void {
  for (const method of ROUTE_METHODS) {
    const handler = route.module[method]
    if (handler !== undefined && typeof handler !== 'function') {
      throw new TypeError(
        `${route.file}: the export ${method} must be a function, for example ` +
          `\`export async function ${method}(request, { params, env, ctx }) { return json({ ok: true }) }\``,
      )
    }
  }
}

function describe(value: unknown): string {
  return value === null ? 'null' : typeof value === 'object' ? (value.constructor?.name ?? 'object') : typeof value
}

// Runs one layer (the handler or a middleware) so that what leaves it is always a Response: a
// throw becomes its error response here, which lets outer middleware read and decorate errors
// the same way as successes instead of every middleware needing its own try/catch.
async function runLayer(
  layer: () => Response | Promise<Response>,
  mustReturn: string,
  request: Request,
  file: string,
  dev: boolean,
): Promise<Response> {
  try {
    const response = await layer()
    if (response instanceof Response) return response
    throw new TypeError(`${mustReturn} must return a Response, but returned ${describe(response)}. Did you forget \`return\`?`)
  } catch (error) {
    return respondToError(error, request, file, dev)
  }
}

/**
 * The function that answers every request matched to `route`, whatever its method: the route's
 * middleware, outermost first, around the method dispatch (so a CORS middleware also sees the
 * automatic OPTIONS and 405 answers).
 */
export function createRouteResponder(route: RouteEntry): Responder {
  checkExports(route)
  const allow = allowedMethods(route.module).join(', ')
  const middleware: readonly Middleware[] = route.middleware ?? []

  const dispatch = (request: Request, context: RouteContext<any, any>, dev: boolean): Promise<Response> => {
    const method = ROUTE_METHODS.find((m) => m === request.method)
    const handler = method && (route.module[method] ?? (method === 'HEAD' ? route.module.GET : undefined))
    if (handler) {
      const label = `${route.file}: ${method === 'HEAD' && !route.module.HEAD ? 'GET' : method}`
      return runLayer(() => handler(request, context), label, request, route.file, dev)
    }
    if (method === 'OPTIONS') return Promise.resolve(new Response(null, { status: 204, headers: { allow } }))
    return Promise.resolve(json({ error: 'Method Not Allowed' }, { status: 405, headers: { allow } }))
  }

  return (request, context) => {
    const dev = isDev(context.env)
    const enter = (index: number): Promise<Response> => {
      if (index === middleware.length) return dispatch(request, context, dev)
      let called = false
      const next = () => {
        if (called) return Promise.reject(new Error(`next() called more than once in middleware ${index + 1} of ${route.file}`))
        called = true
        return enter(index + 1)
      }
      const label = `Middleware ${index + 1} of ${route.file}`
      return runLayer(() => middleware[index](request, next), label, request, route.file, dev)
    }
    return enter(0)
  }
}
