import { durableObjects } from '@cloudwerk/core/bindings'

/** Who is asking: the app's own auth (here, the cookie set by /api/sign-in). */
function whoIs(request: Request): string | undefined {
  return /(?:^|;\s*)user=(\w+)/.exec(request.headers.get('Cookie') ?? '')?.[1]
}

/** GET /api/rooms/:id/connect: the browser's live connection to the room (connect() from @cloudwerk/client). */
export async function GET(request: Request, { params }: { params: { id: string } }) {
  const user = whoIs(request)
  if (!user) return new Response('sign in first', { status: 401 })
  return durableObjects.Room.getByName(params.id).connectClient(request, { user })
}
