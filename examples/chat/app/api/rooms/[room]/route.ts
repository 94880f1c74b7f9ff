import { durableObjects } from '@cloudwerk/core/bindings'
import { HttpError, json } from '@cloudwerk/core'
import { roomName } from '../room-name'

type Context = { params: { room: string } }

/**
 * GET /api/rooms/:room: its topic and who is online. With `Upgrade: websocket` and ?username=,
 * a connection to the room (the frames are listed in app/objects/chat-room.ts).
 */
export async function GET(request: Request, { params }: Context) {
  const room = durableObjects.ChatRoom.getByName(roomName(params.room))
  if (request.headers.get('Upgrade')?.toLowerCase() !== 'websocket') return json(await room.getOverview())

  const url = new URL(request.url)
  const username = (url.searchParams.get('username') ?? '').trim()
  if (!/^.{1,24}$/u.test(username)) throw new HttpError(400, 'Choose a username of 1 to 24 characters: ?username=ada')
  url.searchParams.set('username', username)
  return room.fetch(new Request(url, request))
}
