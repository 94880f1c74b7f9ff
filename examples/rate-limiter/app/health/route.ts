import { json } from '@cloudwerk/core'

/** GET /health: outside app/api, so the rate limit does not apply (a load balancer may poll it freely). */
export async function GET() {
  return json({ ok: true })
}
