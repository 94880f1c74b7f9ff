import { HttpError } from './http-error.js'
import { json } from './respond.js'

/**
 * Whether `env.CLOUDWERK_DEV` asks for development behaviour (error details in responses, a log
 * line per request). Bindings from `.dev.vars` arrive as strings, so `"0"` and `"false"` are off.
 */
export function isDev(env: unknown): boolean {
  const flag = (env as { CLOUDWERK_DEV?: unknown } | undefined)?.CLOUDWERK_DEV
  return Boolean(flag) && flag !== '0' && flag !== 'false'
}

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
