import { durableObjects, env } from '@cloudwerk/core/bindings'
import type { Equal, Expect } from './expect.js'

export async function stubsAreTyped() {
  const id = durableObjects.Counter.idFromName('a')
  const stub = durableObjects.Counter.get(id)
  const value: number = await stub.increment()
  await stub.increment(2)
  type Checks = [
    Expect<Equal<typeof stub.increment, (amount?: number) => Promise<number>>>,
    Expect<Equal<ReturnType<typeof stub.snapshot>, Promise<{ value: number; at: Date }>>>,
    Expect<Equal<ReturnType<typeof stub.fetch>, Promise<Response>>>,
    Expect<Equal<typeof stub.id, DurableObjectId>>,
    Expect<Equal<typeof stub.name, string | undefined>>,
  ]

  const room = durableObjects.ChatRoom.getByName('lobby', { locationHint: 'weur' })
  await room.send('ada', 'hello')
  const author: string | undefined = (await room.history(10))[0]?.user
  const response: Response = await room.fetch('https://room/ws', { headers: { upgrade: 'websocket' } })

  const unique = durableObjects.Counter.newUniqueId({ jurisdiction: 'eu' })
  const again = durableObjects.Counter.idFromString(unique.toString())
  const sameId: boolean = again.equals(unique)
  const inEurope: number = await durableObjects.Counter.jurisdiction('eu').getByName('x').increment(1)
  return { value, author, response, sameId, inEurope }
}

export async function mistakesFailTheTypecheck() {
  const stub = durableObjects.Counter.getByName('a')
  // @ts-expect-error a misspelt method
  await stub.incrementt(1)
  // @ts-expect-error a wrong argument type
  await stub.increment('1')
  // @ts-expect-error too many arguments
  await stub.getValue(1)
  // @ts-expect-error a property that is not a method is not reachable through the stub
  stub.label
  // @ts-expect-error a result is a promise, not the value
  const value: number = stub.getValue()
  // @ts-expect-error get() takes an id, not a name
  durableObjects.Counter.get('a')
  // @ts-expect-error an object the app does not define
  durableObjects.Nope.getByName('a')
  return value
}

// `env` is the Worker's env: typed by the app's `Cloudflare.Env`.
export const bindings: Cloudflare.Env = env
