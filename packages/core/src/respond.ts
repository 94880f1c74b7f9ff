// Response helpers for route handlers. They accept a bare status where most calls need only that
// (`json(data, 201)`) and a full ResponseInit otherwise; a Content-Type the caller set is kept.

/** A status code, or the init a `Response` takes. */
export type ResponseOptions = number | ResponseInit

function withContentType(init: ResponseOptions | undefined, contentType: string): ResponseInit {
  const { headers, ...rest } = typeof init === 'number' ? { status: init } : (init ?? {})
  const merged = new Headers(headers)
  if (!merged.has('content-type')) merged.set('content-type', contentType)
  return { ...rest, headers: merged }
}

/**
 * A JSON response.
 *
 * @example
 * return json({ value: 7 })
 * return json({ id }, 201)
 * return json(result, { status: 429, headers: { 'retry-after': '60' } })
 */
export function json(data: unknown, init?: ResponseOptions): Response {
  return new Response(JSON.stringify(data), withContentType(init, 'application/json; charset=UTF-8'))
}

/**
 * A plain-text response.
 *
 * @example
 * return text('pong')
 * return text('Too many requests', 429)
 */
export function text(body: string, init?: ResponseOptions): Response {
  return new Response(body, withContentType(init, 'text/plain; charset=UTF-8'))
}

/**
 * An HTML response.
 *
 * @example
 * return html('<h1>Hello</h1>')
 */
export function html(body: string, init?: ResponseOptions): Response {
  return new Response(body, withContentType(init, 'text/html; charset=UTF-8'))
}

/**
 * A redirect. Unlike `Response.redirect`, a relative location is accepted and sent as written.
 *
 * @example
 * return redirect('/login')
 * return redirect('https://example.com/new-home', 301)
 */
export function redirect(location: string | URL, status: 301 | 302 | 303 | 307 | 308 = 302): Response {
  return new Response(null, { status, headers: { location: String(location) } })
}

/**
 * A 404 with the same JSON body as an unknown path: `{ "error": "Not Found" }`.
 *
 * @example
 * const item = await findItem(params.id)
 * if (!item) return notFound(`No item ${params.id}`)
 */
export function notFound(message = 'Not Found'): Response {
  return json({ error: message }, 404)
}
