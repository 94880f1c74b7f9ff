import { durableObjects } from '@cloudwerk/core/bindings'
import { json } from '@cloudwerk/core'

export async function POST(request: Request, { params }: { params: { id: string } }) {
  const note = durableObjects.Note.getByName(params.id)
  await note.write(await request.text())
  return json(await note.read())
}

export async function GET(_request: Request, { params }: { params: { id: string } }) {
  return json(await durableObjects.Note.getByName(params.id).read())
}
