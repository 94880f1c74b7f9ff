import { json } from '@cloudwerk/core'
import { durableObjects } from '@cloudwerk/core/bindings'

// HitCounter lives in the shop-backend Worker; its methods are typed from that app's object file.
export async function POST(_request: Request, { params }: { params: { page: string } }) {
  const counter = durableObjects.HitCounter.getByName(params.page)
  const hits: number = await counter.hit(2)
  const tally: { page: string; hits: number } = await counter.tally(params.page)
  return json({ hits, tally, count: await counter.count() })
}

// Never called: tsc fails if these calls stop being errors.
export async function typeErrors() {
  const counter = durableObjects.HitCounter.getByName('x')
  // @ts-expect-error the backend has no such method
  await counter.reset()
  // @ts-expect-error a wrong argument type
  await counter.hit('two')
}
