import { durableObjects } from '@cloudwerk/core/bindings'
import type { Receipt } from '../../objects/cart'

export async function GET() {
  const counter = durableObjects.Counter.getByName('a')
  const a: number = await counter.increment(2)
  const b: number = await counter.increment()
  const cart = durableObjects.Cart.get(durableObjects.Cart.idFromName('u'))
  const items: Array<{ productId: string; quantity: number }> = await cart.addItem('p', 1)
  const found = await cart.find({ productId: 'p' })
  const quantity: number | undefined = found?.quantity
  const receipt: Receipt = await cart.checkout('gift', 'fast')
  const sync: 'yes' | 0 = await cart.sync(true)
  const session: { userId: string; data: Record<string, unknown> } = await durableObjects.UserSession.getByName('s').getData()
  const response: Response = await counter.fetch('http://counter/')

  // @ts-expect-error a misspelt method name
  await counter.incrementt(1)
  // @ts-expect-error a wrong argument type
  await counter.increment('two')
  // @ts-expect-error a missing argument
  await cart.addItem('p')
  // @ts-expect-error results are promises
  const notAwaited: number = counter.getValue()
  // @ts-expect-error an object that does not exist
  durableObjects.Nope.getByName('x')

  return Response.json({ a, b, items, quantity, receipt, sync, session, status: response.status, notAwaited })
}
