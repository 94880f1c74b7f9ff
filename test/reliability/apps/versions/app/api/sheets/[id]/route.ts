import { json } from '@cloudwerk/core'
import { durableObjects } from '@cloudwerk/core/bindings'

export async function POST(request: Request, { params }: { params: { id: string } }) {
  const { rows, keys } = (await request.json()) as { rows: number; keys: number }
  return json({ rows: await durableObjects.Sheet.getByName(params.id).fill(rows, keys) })
}

export async function GET(_request: Request, { params }: { params: { id: string } }) {
  return json(await durableObjects.Sheet.getByName(params.id).check())
}
