import { json } from '@cloudwerk/core'
import { durableObjects } from '@cloudwerk/core/bindings'

export async function GET(request: Request, { params }: { params: { id: string } }) {
  const room = durableObjects.Chat.getByName(params.id)
  if (request.headers.get('Upgrade')?.toLowerCase() === 'websocket') return room.fetch(request)
  return json(await room.stored())
}
