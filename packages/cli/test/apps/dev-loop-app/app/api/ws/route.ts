import { durableObjects } from '@cloudwerk/core/bindings'

export function GET(request: Request) {
  return durableObjects.Wallet.getByName('w').fetch(request)
}
