import { durableObjects } from '@cloudwerk/core/bindings'
import { HttpError, json } from '@cloudwerk/core'

type Context = { params: { id: string } }

export async function GET(_request: Request, { params }: Context) {
  const counter = durableObjects.Counter.getByName(params.id)
  return json({ value: await counter.getValue() })
}

export async function POST(request: Request, { params }: Context) {
  const amount = Number(new URL(request.url).searchParams.get('amount') ?? '1')
  if (!Number.isFinite(amount)) throw new HttpError(400, 'amount must be a number')
  const counter = durableObjects.Counter.getByName(params.id)
  return json({ value: await counter.increment(amount) })
}

export async function DELETE(_request: Request, { params }: Context) {
  return json({ value: await durableObjects.Counter.getByName(params.id).reset() })
}
