import { json, type Middleware } from '@cloudwerk/core'
import { durableObjects } from '@cloudwerk/core/bindings'

/** Requests a client may make to /api in any window of WINDOW_SECONDS; small, so the page shows a 429 soon. */
const LIMIT = 5
const WINDOW_SECONDS = 10

// A middleware.ts wraps every route in its folder and below: here, everything under /api.
const rateLimit: Middleware = async (request, next) => {
  // On Cloudflare, CF-Connecting-IP is the client's address as the edge saw it; clients cannot set it.
  const client = request.headers.get('CF-Connecting-IP') ?? 'unknown'
  const verdict = await durableObjects.RateLimiter.getByName(client).hit(LIMIT, WINDOW_SECONDS * 1000)
  const headers = { 'RateLimit-Limit': String(LIMIT), 'RateLimit-Remaining': String(verdict.remaining) }
  if (!verdict.allowed) {
    const retryAfter = Math.ceil(verdict.retryAfterMs / 1000)
    return json(
      { error: `Too many requests: the limit is ${LIMIT} every ${WINDOW_SECONDS} seconds. Try again in ${retryAfter} s.` },
      { status: 429, headers: { ...headers, 'Retry-After': String(retryAfter) } },
    )
  }
  const response = await next()
  // Copied, because the headers of a response that came from fetch() cannot be changed.
  const limited = new Response(response.body, response)
  for (const [name, value] of Object.entries(headers)) limited.headers.set(name, value)
  return limited
}

export default rateLimit
