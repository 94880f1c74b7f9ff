import { durableObjects } from '@cloudwerk/core/bindings'
import { HttpError, json } from '@cloudwerk/core'

type Context = { params: { room: string } }

const ROOM_NAME = /^[\w-]{1,40}$/
const MAX_USERNAME_LENGTH = 24

/**
 * GET /api/rooms/:room answers with who is online and the recent messages.
 * With `Upgrade: websocket` and `?username=`, it joins the room instead (see client/chat.ts).
 */
export async function GET(request: Request, { params }: Context) {
  if (!ROOM_NAME.test(params.room)) {
    throw new HttpError(400, 'A room name is 1 to 40 letters, digits, "-" or "_".')
  }
  const room = durableObjects.ChatRoom.getByName(params.room)
  if (request.headers.get('Upgrade')?.toLowerCase() !== 'websocket') return json(await room.getRoom())

  const url = new URL(request.url)
  const username = url.searchParams.get('username')?.trim() ?? ''
  if (!username || username.length > MAX_USERNAME_LENGTH) {
    throw new HttpError(400, `Join with a username of 1 to ${MAX_USERNAME_LENGTH} characters: ?username=ada`)
  }
  url.searchParams.set('username', username)
  return room.fetch(new Request(url, request))
}
