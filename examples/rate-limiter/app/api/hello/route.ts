import { json } from '@cloudwerk/core'

/** GET /api/hello: rate limited, like everything under /api (see app/api/middleware.ts). */
export async function GET() {
  return json({ hello: 'world' })
}
