import type { Middleware } from '@cloudwerk/core'

// Wraps every route and the automatic answers (404, 405, HEAD, OPTIONS).
const mark: Middleware = async (_request, next) => {
  const response = await next()
  const marked = new Response(response.body, response)
  marked.headers.append('x-middleware', 'app')
  return marked
}

export default mark
