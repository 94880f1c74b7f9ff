import { durableObjects } from '@cloudwerk/core/bindings'
import { HttpError, json } from '@cloudwerk/core'

type Context = { params: { name: string } }

/** GET /api/counters/:name: the value, the totals before the last resets, and the next reset time. */
export async function GET(_request: Request, { params }: Context) {
  return json(await durableObjects.Counter.getByName(params.name).get())
}

/** POST /api/counters/:name?by=n adds n (1 when left out). */
export async function POST(request: Request, { params }: Context) {
  const given = new URL(request.url).searchParams.get('by')
  const by = Number(given ?? '1')
  if (!Number.isInteger(by) || by < 1 || by > 1000) {
    throw new HttpError(400, `?by= must be a whole number from 1 to 1000, got "${given}".`)
  }
  return json({ value: await durableObjects.Counter.getByName(params.name).increment(by) })
}
