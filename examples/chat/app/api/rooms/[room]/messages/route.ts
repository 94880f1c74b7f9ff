import { durableObjects } from '@cloudwerk/core/bindings'
import { HttpError, json } from '@cloudwerk/core'
import { roomName } from '../../room-name'

type Context = { params: { room: string } }

/** GET /api/rooms/:room/messages?before=<id>&limit=30: older messages, oldest first, for "load older". */
export async function GET(request: Request, { params }: Context) {
  const query = new URL(request.url).searchParams
  const before = query.has('before') ? Number(query.get('before')) : undefined
  const limit = Number(query.get('limit') ?? 30)
  if (before !== undefined && !(Number.isInteger(before) && before > 0)) throw new HttpError(400, '?before= must be a message id.')
  if (!(Number.isInteger(limit) && limit >= 1 && limit <= 100)) throw new HttpError(400, '?limit= must be a whole number from 1 to 100.')
  return json(await durableObjects.ChatRoom.getByName(roomName(params.room)).getMessages(before, limit))
}
