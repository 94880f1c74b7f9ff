import { durableObjects } from '@cloudwerk/core/bindings'
import { json } from '@cloudwerk/core'

/** GET /api/rooms: the rooms with people in them, then the recently active ones. */
export async function GET() {
  return json(await durableObjects.Lobby.getByName('main').listRooms())
}
