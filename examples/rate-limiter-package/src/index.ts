import { defineDurableObject } from '@cloudwerk/durable-object'

export interface RateLimiterOptions {
  /** Requests allowed in one window. */
  limit: number
  /** The window's length in milliseconds. */
  windowMs: number
}

/** What `take()` answers: whether this request may go on, and when to come back if not. */
export interface Verdict {
  allowed: boolean
  remaining: number
  retryAfterMs: number
}

interface Window {
  start: number
  count: number
}

/**
 * A rate limiter object with the app's own limits: the app's object file exports what this
 * returns, and the build names the class after that file.
 *
 * The state's type comes from `init`'s return type rather than a type argument, so that
 * TypeScript infers the method table too and apps get each method's exact types.
 *
 * @example
 * // app/objects/rate-limiter.ts
 * import { createRateLimiter } from '@acme/rate-limiter'
 * export default createRateLimiter({ limit: 10, windowMs: 60_000 })
 */
export function createRateLimiter(options: RateLimiterOptions) {
  return defineDurableObject({
    init: (): Window => ({ start: 0, count: 0 }),
    methods: {
      async take(): Promise<Verdict> {
        const now = Date.now()
        if (now - this.state.start >= options.windowMs) {
          this.state.start = now
          this.state.count = 0
        }
        if (this.state.count >= options.limit) {
          return { allowed: false, remaining: 0, retryAfterMs: this.state.start + options.windowMs - now }
        }
        this.state.count += 1
        return { allowed: true, remaining: options.limit - this.state.count, retryAfterMs: 0 }
      },
      async reset() {
        this.state.start = 0
        this.state.count = 0
      },
    },
  })
}

/** The limiter with the package's defaults (10 requests a minute), for `export { default } from`. */
export default createRateLimiter({ limit: 10, windowMs: 60_000 })
