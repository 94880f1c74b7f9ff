// The counter app with PartyServer: a Server subclass (it has no state helper, so the storage
// API as in the hand-written one) reached through getServerByName, the stub helper it documents.
import { getServerByName, Server } from 'partyserver'

export class Counter extends Server {
  async increment(amount = 1): Promise<number> {
    const value = ((await this.ctx.storage.get<number>('value')) ?? 0) + amount
    await this.ctx.storage.put('value', value)
    return value
  }
}

export default {
  async fetch(request: Request, env: { Counter: DurableObjectNamespace<Counter> }): Promise<Response> {
    const match = /^\/api\/counter\/([^/]+)$/.exec(new URL(request.url).pathname)
    if (!match) return new Response('Not Found', { status: 404 })
    if (request.method !== 'POST') return new Response('Method Not Allowed', { status: 405, headers: { allow: 'POST' } })
    const counter = await getServerByName(env.Counter, decodeURIComponent(match[1]))
    return Response.json({ value: await counter.increment(1) })
  },
}
