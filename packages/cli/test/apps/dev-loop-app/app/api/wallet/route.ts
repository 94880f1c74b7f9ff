import { durableObjects } from '@cloudwerk/core/bindings'
import { json } from '@cloudwerk/core'

export async function GET() {
  return json(await durableObjects.Wallet.getByName('w').summary())
}
