import { json } from '@cloudwerk/core'

export async function GET() {
  return json({ hello: 'Cloudwerk', try: 'POST /api/counter/home' })
}
