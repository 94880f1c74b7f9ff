// The hand-written baseline: the same counter as templates/basic with the platform API only.
import { DurableObject } from 'cloudflare:workers'

export class Counter extends DurableObject {
  async increment(amount = 1): Promise<number> {
    const value = ((await this.ctx.storage.get<number>('value')) ?? 0) + amount
    await this.ctx.storage.put('value', value)
    return value
  }
}

export default {
  async fetch(request: Request, env: { COUNTER: DurableObjectNamespace<Counter> }): Promise<Response> {
    const match = /^\/api\/counter\/([^/]+)$/.exec(new URL(request.url).pathname)
    if (!match) return new Response('Not Found', { status: 404 })
    const counter = env.COUNTER.getByName(decodeURIComponent(match[1]))
    if (request.method !== 'POST') return new Response('Method Not Allowed', { status: 405, headers: { allow: 'POST' } })
    return Response.json({ value: await counter.increment(1) })
  },
} satisfies ExportedHandler<{ COUNTER: DurableObjectNamespace<Counter> }>
