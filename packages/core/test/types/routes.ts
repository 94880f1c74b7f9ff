import { html, HttpError, json, notFound, redirect, text, type Middleware, type RouteHandler } from '@cloudwerk/core'
import { createApp } from '@cloudwerk/core/runtime'

// A route module as users write them (the seed app's style) and as the generated entry imports it.
export async function GET(request: Request, { params }: { params: { id: string } }) {
  return json({ id: params.id, url: request.url })
}
export const POST: RouteHandler<{ id: string }> = async (_request, { params, env, ctx }) => {
  ctx.waitUntil(Promise.resolve())
  return json({ id: params.id, env: Object.keys(env) }, 201)
}
const logRequests: Middleware = async (request, next) => {
  const response = await next()
  return response.status >= 500 ? text(`failed: ${request.url}`, 500) : response
}

export const app: ExportedHandler = createApp({
  routes: [
    {
      segments: [
        { kind: 'static', value: 'items' },
        { kind: 'param', name: 'id' },
      ],
      file: 'app/items/[id]/route.ts',
      module: { GET, POST },
      middleware: [logRequests],
    },
  ],
  objects: { Counter: 'COUNTER' },
  notFound: () => notFound('nothing here'),
})

export const helpers: Response[] = [
  json({ ok: true }),
  json([1, 2], { status: 202, headers: { 'x-a': 'b' } }),
  text('hi', 404),
  html('<p>hi</p>'),
  redirect('/login'),
  redirect(new URL('https://example.com'), 308),
  new HttpError(401, 'Sign in', { headers: { 'www-authenticate': 'Bearer' } }).toResponse(),
]

export function mistakes() {
  // @ts-expect-error a status is a number
  json({}, '201')
  // @ts-expect-error redirect() takes redirect statuses only
  redirect('/x', 200)
  // @ts-expect-error a handler must return a Response
  const wrong: RouteHandler = async () => ({ ok: true })
  // @ts-expect-error a middleware must return a Response
  const forgetful: Middleware = async (_request, next) => {
    await next()
  }
  // @ts-expect-error an export that is not a handler
  createApp({ routes: [{ segments: [{ kind: 'static', value: 'x' }], file: 'app/x/route.ts', module: { GET: 'hello' } }] })
  return [wrong, forgetful]
}
