import { json } from '@cloudwerk/core'
import { durableObjects } from '@cloudwerk/core/bindings'

export async function GET(_request: Request, { params }: { params: { id: string } }) {
  return json({ value: await durableObjects.Counter.getByName(params.id).read() })
}

export async function POST(_request: Request, { params }: { params: { id: string } }) {
  return json({ value: await durableObjects.Counter.getByName(params.id).increment(1) })
}
