// The hand-written half of the Worker entry: the generated `.cloudwerk/entry.ts` only imports the
// app's modules and hands them here as data.
//
// Matching is Hono's PatternRouter. The Hono app class is not used: its Context and middleware
// model do not fit the `(request, { params, env, ctx })` signature, and it would add about 6 KB
// gzipped (12 KB unminified) to every Worker for the little we would use of it.
import { PatternRouter } from 'hono/router/pattern-router'
import { isDev } from '@cloudwerk/durable-object/shared/dev-flag'
import { respondToError } from './error-response.js'
import { registerObjects } from './object-registry.js'
import { decodeParam, pathToMatch } from './request-path.js'
import { json } from './respond.js'
import { createRouteResponder } from './route-handler.js'
import { rankRoutes, routerPatterns, type Segment } from './route-path.js'
import type { RouteEntry } from './types.js'

// The shapes createApp takes; the handler and middleware types are exported from @cloudwerk/core.
export type { RouteEntry, RouteModule } from './types.js'

export interface AppOptions {
  /**
   * In any order: they are ranked so that static segments win over params over catch-alls. The
   * build has refused two routes for one URL, naming both files.
   */
  routes: readonly RouteEntry[]
  /** Class name -> binding name, for `durableObjects` in `@cloudwerk/core/bindings`. */
  objects?: Readonly<Record<string, string>>
  /** Answers paths no route matches; the default is a 404 `{ "error": "Not Found" }`. */
  notFound?: (request: Request, context: { env: any; ctx: ExecutionContext }) => Response | Promise<Response>
}

interface CompiledRoute {
  segments: readonly Segment[]
  respond: ReturnType<typeof createRouteResponder>
}

function readParams(groups: Record<string, string>, segments: readonly Segment[]): Record<string, string> {
  const params: Record<string, string> = {}
  for (const [i, segment] of segments.entries()) {
    if (segment.kind !== 'static') params[segment.name] = decodeParam(groups[`p${i}`] ?? '')
  }
  return params
}

/**
 * The Worker's default export: every request goes to the route that matches it best.
 *
 * @example
 * export default createApp({
 *   routes: [
 *     {
 *       file: 'app/api/counter/[id]/route.ts',
 *       segments: [{ kind: 'static', value: 'api' }, { kind: 'static', value: 'counter' }, { kind: 'param', name: 'id' }],
 *       module: route0,
 *       middleware: [],
 *     },
 *   ],
 *   objects: { Counter: 'COUNTER' },
 * })
 */
export function createApp(options: AppOptions): ExportedHandler<any> {
  registerObjects(options.objects ?? {})
  const router = new PatternRouter<CompiledRoute>()
  // The router returns every match in the order routes were added; ranking first makes the
  // first match the best one.
  for (const route of rankRoutes(options.routes)) {
    const compiled = { segments: route.segments, respond: createRouteResponder(route) }
    for (const pattern of routerPatterns(compiled.segments)) router.add('ALL', pattern, compiled)
  }

  const answer = async (request: Request, env: any, ctx: ExecutionContext): Promise<Response> => {
    const [match] = router.match(request.method, pathToMatch(request.url))[0]
    if (!match) {
      if (!options.notFound) return json({ error: 'Not Found' }, 404)
      try {
        return await options.notFound(request, { env, ctx })
      } catch (error) {
        return respondToError(error, request, 'the notFound handler', isDev(env))
      }
    }
    const [{ segments, respond }, groups] = match as [CompiledRoute, Record<string, string>]
    const response = await respond(request, { params: readParams(groups, segments), env, ctx })
    // HEAD is answered like GET; the body is dropped here, whoever produced it.
    return request.method === 'HEAD' && response.body ? new Response(null, response) : response
  }

  return {
    async fetch(request, env, ctx) {
      if (!isDev(env)) return answer(request, env, ctx)
      const started = Date.now()
      const response = await answer(request, env, ctx)
      console.log(`${request.method} ${new URL(request.url).pathname} ${response.status} ${Date.now() - started}ms`)
      return response
    },
  }
}
