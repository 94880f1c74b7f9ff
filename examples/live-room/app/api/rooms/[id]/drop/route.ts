import { durableObjects } from '@cloudwerk/core/bindings'

/** POST /api/rooms/:id/drop: closes the room's connections, as a deploy or an eviction would. */
export async function POST(_request: Request, { params }: { params: { id: string } }) {
  await durableObjects.Room.getByName(params.id).dropConnections()
  return new Response(null, { status: 204 })
}
