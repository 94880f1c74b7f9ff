// Benchmark Worker: an object whose call awaits a slow outside service (SLOW, answered by
// run.mjs after SLOW_MS) while a read arrives. The same object three ways: Cloudwerk with
// this.outside, Cloudwerk without it (every call holds the object, as before this.outside), and
// a hand-written DurableObject (the platform lets the read in while the call awaits the fetch).
import { DurableObject } from 'cloudflare:workers'
import { createDurableObjectClass, defineDurableObject } from '@cloudwerk/durable-object'

interface Env {
  SLOW: Fetcher
  OUTSIDE: DurableObjectNamespace
  HELD: DurableObjectNamespace
  HAND: DurableObjectNamespace
}

const askSlow = async (env: Env) => (await env.SLOW.fetch('http://slow/')).text()

const withOutside = defineDurableObject({
  init: () => ({ answers: 0, last: '' }),
  methods: {
    async ask() {
      const answer = await this.outside(() => askSlow(this.env as Env))
      this.state.answers += 1
      this.state.last = answer
      return this.state.answers
    },
    async read() {
      return this.state.answers
    },
  },
})

const held = defineDurableObject({
  init: () => ({ answers: 0, last: '' }),
  methods: {
    async ask() {
      const answer = await askSlow(this.env as Env)
      this.state.answers += 1
      this.state.last = answer
      return this.state.answers
    },
    async read() {
      return this.state.answers
    },
  },
})

export class CloudwerkOutside extends createDurableObjectClass(withOutside, { name: 'CloudwerkOutside' }) {}
export class CloudwerkHeld extends createDurableObjectClass(held, { name: 'CloudwerkHeld' }) {}

/** What a careful developer writes by hand: awaits the service, then stores the answer. */
export class HandObject extends DurableObject<Env> {
  async ask(): Promise<number> {
    const answer = await askSlow(this.env)
    const answers = ((await this.ctx.storage.get<number>('answers')) ?? 0) + 1
    await this.ctx.storage.put({ answers, last: answer })
    return answers
  }

  async read(): Promise<number> {
    return (await this.ctx.storage.get<number>('answers')) ?? 0
  }
}

const BINDINGS = { outside: 'OUTSIDE', held: 'HELD', hand: 'HAND' } as const
type Stub = { ask(): Promise<number>; read(): Promise<number> }

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url)
    const binding = BINDINGS[url.searchParams.get('impl') as keyof typeof BINDINGS]
    if (!binding) return new Response('impl=outside|held|hand', { status: 400 })
    const stub = env[binding].getByName('bench') as unknown as Stub
    if (url.pathname === '/ask') return Response.json(await stub.ask())
    if (url.pathname === '/read') return Response.json(await stub.read())
    return new Response('Not found', { status: 404 })
  },
}
