import type { ROUTE_METHODS, Segment } from './route-path.js'

/** What every handler receives beside the request. */
export interface RouteContext<Params = Record<string, string>, Env = Cloudflare.Env> {
  /**
   * URL-decoded path params. A catch-all is the rest of the path, decoded, segments joined by `/`;
   * an optional catch-all that matched nothing is `''`.
   */
  params: Params
  env: Env
  ctx: ExecutionContext
}

/**
 * An exported `GET`, `POST`, ... of a `route.ts`.
 *
 * @example
 * export const GET: RouteHandler<{ id: string }> = async (request, { params }) => json({ id: params.id })
 */
export type RouteHandler<Params = Record<string, string>, Env = Cloudflare.Env> = (
  request: Request,
  context: RouteContext<Params, Env>,
) => Response | Promise<Response>

/**
 * The default export of a `middleware.ts`: it wraps every route in its folder and below, and may
 * answer without calling `next()`. `next()` always resolves to a Response: an error thrown further
 * in has already become its error response.
 *
 * @example
 * import { env } from '@cloudwerk/core/bindings'
 *
 * const requireKey: Middleware = async (request, next) => {
 *   if (request.headers.get('x-api-key') !== env.API_KEY) return json({ error: 'Forbidden' }, 403)
 *   const response = await next()
 *   response.headers.set('x-served-by', 'cloudwerk')
 *   return response
 * }
 * export default requireKey
 */
export type Middleware = (request: Request, next: () => Promise<Response>) => Response | Promise<Response>

export type RouteMethod = (typeof ROUTE_METHODS)[number]

/** A `route.ts` module namespace, as the generated entry imports it. */
// `any` params: the module's handlers declare their own params type, which the entry cannot know.
export type RouteModule = { readonly [M in RouteMethod]?: RouteHandler<any, any> }

/** One route as the generated entry lists it. */
export interface RouteEntry {
  /** The route's folder as the build parsed it (`parseRouteDir` in `./route-path.ts`). */
  segments: readonly Segment[]
  /** The route file relative to the app root, named in errors and logs. */
  file: string
  module: RouteModule
  /** Outermost first. */
  middleware?: readonly Middleware[]
}
