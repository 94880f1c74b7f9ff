import { durableObjects } from '@cloudwerk/core/bindings'
import { json } from '@cloudwerk/core'

type Context = { params: { id: string } }

export async function POST(request: Request, { params }: Context) {
  const { count, firstInMs, spacingMs, failing } = (await request.json()) as {
    count: number
    firstInMs: number
    spacingMs: number
    failing?: string[]
  }
  await durableObjects.Batch.getByName(params.id).plan(count, firstInMs, spacingMs, failing)
  return json({ planned: count })
}

export async function GET(_request: Request, { params }: Context) {
  return json(await durableObjects.Batch.getByName(params.id).report())
}
