import { durableObjects } from '@cloudwerk/core/bindings'

export async function GET() {
  const stub = durableObjects.Counter.get(durableObjects.Counter.idFromName('a'))
  await stub.incrementt(1)
  return new Response('x')
}
