import { durableObjects } from '@cloudwerk/core/bindings'
import page from '../../../lib/chat.html'

export async function GET() {
  return new Response(page, { headers: { 'content-type': 'text/html' } })
}

export async function POST(request: Request, { params }: { params: { id: string } }) {
  return Response.json(await durableObjects.ChatRoom.getByName(params.id).join(await request.text()))
}
