import { env } from '@cloudwerk/core/bindings'
import { json } from '@cloudwerk/core'

interface CounterStub {
  increment(amount?: number): Promise<number>
}

// The backend's objects, through a cross-Worker binding (script_name).
export async function POST(_request: Request, { params }: { params: { id: string } }) {
  const { BACKEND_COUNTER } = env as unknown as { BACKEND_COUNTER: { getByName(name: string): CounterStub } }
  return json({ value: await BACKEND_COUNTER.getByName(params.id).increment(1) })
}
