import { durableObjects } from '@cloudwerk/core/bindings'
import { json } from '@cloudwerk/core'

export async function POST(_request: Request, { params }: { params: { id: string } }) {
  const value = await durableObjects.Counter.getByName(params.id).increment(1)
  console.log(`counter ${params.id} is now ${value}`)
  return json({ value, version: 1 })
}
