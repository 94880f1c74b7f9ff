import { HttpError, json } from '@cloudwerk/core'
import { findDoc } from '../../find-doc'

type Context = { params: { id: string } }

/** GET /api/docs/:id/history?limit=20: the latest edits, newest first, with author and time. */
export async function GET(request: Request, { params }: Context) {
  const asked = new URL(request.url).searchParams.get('limit') ?? '20'
  const limit = Number(asked)
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw new HttpError(400, `?limit= must be from 1 to 100, got "${asked}".`)
  return json(await findDoc(params.id).getHistory(limit))
}
