// A definition made by a package's factory, with this app's limits.
import { createRateLimiter } from '@acme/rate-limiter'

export default createRateLimiter({ limit: 3, windowMs: 60_000 })
