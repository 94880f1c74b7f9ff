import { json } from '@cloudwerk/core'
import { durableObjects } from '@cloudwerk/core/bindings'

export async function GET(_request: Request, { params }: { params: { id: string } }) {
  return json(await durableObjects.Ledger.getByName(params.id).read())
}

// Trusts its input on purpose: the body goes to the object as it came, and the object's schema
// is what must stop a bad value.
export async function POST(request: Request, { params }: { params: { id: string } }) {
  const { id, amount } = (await request.json()) as { id: string; amount: number }
  return json({ balance: await durableObjects.Ledger.getByName(params.id).deposit(id, amount) })
}
