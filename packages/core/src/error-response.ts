import { HttpError } from './http-error.js'
import { json } from './respond.js'

/**
 * The response for an error thrown while answering `request` in the route `file`. An `HttpError`
 * is an answer the code chose, so it is sent as it is. Anything else is a bug: it is logged with
 * the file, and its message and stack reach the client only in development, because they can
 * reveal internals (queries, paths, secrets in messages).
 */
export function respondToError(error: unknown, request: Request, file: string, dev: boolean): Response {
  if (error instanceof HttpError) return error.toResponse()
  const { pathname } = new URL(request.url)
  console.error(`[cloudwerk] ${request.method} ${pathname} failed in ${file}:`, error)
  if (!dev) return json({ error: 'Internal Server Error' }, 500)
  const message = error instanceof Error ? error.message : String(error)
  const stack = error instanceof Error ? error.stack : undefined
  return json({ error: message, stack }, 500)
}
