import { defineDurableObject } from '@cloudwerk/durable-object'

interface RateLimiterState {
  /** When each request of the current window arrived (ms since the epoch), oldest first. */
  hits: number[]
}

export interface Verdict {
  allowed: boolean
  limit: number
  remaining: number
  /** How long until one more request would be allowed; 0 while requests are allowed. */
  retryAfterMs: number
}

// One RateLimiter per client (see app/api/middleware.ts), so clients never wait on each other.
//
// A sliding window: a request is allowed if fewer than `limit` requests were allowed in the last
// `windowMs`. Unlike fixed windows (per minute on the clock), a burst across a boundary cannot
// get twice the limit through.
export default defineDurableObject<RateLimiterState>({
  init: () => ({ hits: [] }),

  // Each allowed hit moves the alarm to the end of its window: when it rings, the client has been
  // quiet for a whole window and its limiter holds nothing worth keeping, so its storage is freed.
  // The next request starts a new life with init.
  async alarm() {
    await this.ctx.storage.deleteAll()
  },

  methods: {
    /** Counts a request if it is allowed. */
    async hit(limit: number, windowMs: number): Promise<Verdict> {
      if (!Number.isInteger(limit) || limit < 1 || !(windowMs > 0)) {
        throw new RangeError(`hit(limit, windowMs) needs a whole limit of at least 1 and a positive window, got ${limit} and ${windowMs}`)
      }
      const now = Date.now()
      const hits = this.state.hits.filter((time) => time > now - windowMs)
      // Refused requests are not counted (and write nothing), so a client that keeps retrying
      // gets through as soon as its earlier requests leave the window.
      if (hits.length >= limit) {
        return { allowed: false, limit, remaining: 0, retryAfterMs: hits[hits.length - limit] + windowMs - now }
      }
      hits.push(now)
      this.state.hits = hits
      await this.ctx.storage.setAlarm(now + windowMs)
      return { allowed: true, limit, remaining: limit - hits.length, retryAfterMs: 0 }
    },
  },
})
