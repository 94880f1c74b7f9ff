import { json } from './respond.js'

export interface HttpErrorInit {
  /** Headers for the error response, such as `www-authenticate` or `retry-after`. */
  headers?: HeadersInit
  cause?: unknown
}

/**
 * An error that becomes an HTTP response: thrown from a handler or a middleware, it answers with
 * its status and `{ "error": message }`. Any other error is a 500 that hides its message.
 *
 * @example
 * if (!request.headers.get('authorization')) {
 *   throw new HttpError(401, 'Sign in first', { headers: { 'www-authenticate': 'Bearer' } })
 * }
 */
export class HttpError extends Error {
  override readonly name = 'HttpError'
  readonly status: number
  readonly headers: HeadersInit | undefined

  constructor(status: number, message: string, init: HttpErrorInit = {}) {
    // Checked here rather than when the response is built, so the stack points at the bad throw.
    if (!Number.isInteger(status) || status < 400 || status > 599) {
      throw new RangeError(`HttpError status must be an integer from 400 to 599, got ${status}`)
    }
    super(message, { cause: init.cause })
    this.status = status
    this.headers = init.headers
  }

  /** The response this error stands for. */
  toResponse(): Response {
    return json({ error: this.message }, { status: this.status, headers: this.headers })
  }
}
