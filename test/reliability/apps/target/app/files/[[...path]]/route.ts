import { json } from '@cloudwerk/core'

export async function GET(_request: Request, { params }: { params: { path: string } }) {
  return json({ path: params.path })
}
