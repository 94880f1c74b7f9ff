import { json } from '@cloudwerk/core'
import { durableObjects } from '@cloudwerk/core/bindings'

// Each object here was defined elsewhere (a package's factory, a package's default, lib/); the
// stubs are typed from those definitions all the same.
export async function POST(_request: Request, { params }: { params: { key: string } }) {
  const verdict = await durableObjects.RateLimiter.getByName(params.key).take()
  const fallback = await durableObjects.DefaultLimiter.getByName(params.key).take()
  const views: number = await durableObjects.PageViews.getByName(params.key).view()
  return json(
    { allowed: verdict.allowed, remaining: verdict.remaining, defaultRemaining: fallback.remaining, views },
    { status: verdict.allowed ? 200 : 429 },
  )
}

// Never called: tsc fails if these calls stop being errors.
export async function typeErrors() {
  // @ts-expect-error the package's limiter has no such method
  await durableObjects.RateLimiter.getByName('k').takeMany(2)
  // @ts-expect-error take() resolves to a Verdict, not a number
  const count: number = await durableObjects.DefaultLimiter.getByName('k').take()
  // @ts-expect-error view() takes no argument
  await durableObjects.PageViews.getByName('k').view(1)
  return count
}
