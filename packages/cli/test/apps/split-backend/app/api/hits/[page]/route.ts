import { json } from '@cloudwerk/core'
import { durableObjects } from '@cloudwerk/core/bindings'

export async function POST(_request: Request, { params }: { params: { page: string } }) {
  return json({ hits: await durableObjects.HitCounter.getByName(params.page).hit(), from: 'backend' })
}
