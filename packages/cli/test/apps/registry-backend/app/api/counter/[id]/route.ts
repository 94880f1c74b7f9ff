import { durableObjects } from '@cloudwerk/core/bindings'
import { json } from '@cloudwerk/core'

export async function POST(_request: Request, { params }: { params: { id: string } }) {
  return json({ value: await durableObjects.Counter.getByName(params.id).increment(1), from: 'cw-backend' })
}
