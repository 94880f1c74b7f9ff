// Benchmark Worker: the cost of adding a schedule and firing it, with few and with many pending
// in the same object, for Cloudwerk (`this.schedule`, fired as the alarm fires it) and for the
// Agents SDK (`this.schedule()`, fired by its `alarm()`). Bundled by run.mjs; the Agents SDK comes
// from bench/node_modules and needs nodejs_compat, which the whole Worker gets.
import { createDurableObjectClass, defineDurableObject } from '@cloudwerk/durable-object'
import { Agent } from 'agents'

const DAY = 86_400_000

const timers = defineDurableObject<{ fired: number }>({
  init: () => ({ fired: 0 }),
  methods: {
    /** `count` keyed runs a day ahead and later, so they stay pending. */
    async fill(from: number, count: number) {
      const start = Date.now() + DAY
      for (let index = from; index < from + count; index++)
        this.schedule.at(start + index * 1000, 'work', [index], { key: `pending:${index}` })
    },
    async add(at: number) {
      this.schedule.at(at, 'work', [-1], { key: 'now' })
    },
    async work(_index: number) {
      this.state.fired += 1
    },
    async fired() {
      return this.state.fired
    },
    async pending() {
      return this.ctx.sql.one<{ n: number }>('SELECT COUNT(*) AS n FROM cloudwerk_schedules')?.n ?? 0
    },
  },
})

// testHooks: the route fires due runs with runDue, the path the alarm takes, at a chosen time.
export class CloudwerkTimers extends createDurableObjectClass(timers, { name: 'CloudwerkTimers', testHooks: true }) {}

/** The Agents SDK's own scheduler: schedule(Date, callback, payload), run by its alarm(). */
export class AgentTimers extends Agent<Record<string, unknown>> {
  firedCount = 0
  async fill(from: number, count: number) {
    const start = Date.now() + DAY
    for (let index = from; index < from + count; index++) await this.schedule(new Date(start + index * 1000), 'work', index)
  }
  async add() {
    // Its times have one-second resolution: a second ago is due now.
    await this.schedule(new Date(Date.now() - 1000), 'work', -1)
  }
  async fire() {
    const before = this.firedCount
    await this.alarm()
    // The platform's alarm may have taken the run first; either way it has run when this returns.
    while (this.firedCount === before) await new Promise((resolve) => setTimeout(resolve, 1))
  }
  async work(_index: number) {
    this.firedCount += 1
  }
  async pending() {
    return this.getSchedules().length
  }
}

interface Env {
  CLOUDWERK: DurableObjectNamespace<CloudwerkTimers>
  AGENT: DurableObjectNamespace<AgentTimers>
}

type Timers = {
  fill(from: number, count: number): Promise<void>
  add(at?: number): Promise<void>
  fire?(): Promise<void>
  pending(): Promise<number>
  __cloudwerkTest?(request: { op: 'runDue'; at: number }): Promise<number>
}

const stubOf = (env: Env, impl: string, name: string) =>
  (impl === 'agents' ? env.AGENT.getByName(name) : env.CLOUDWERK.getByName(name)) as unknown as Timers

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url)
    const impl = url.searchParams.get('impl') ?? 'cloudwerk'
    const stub = stubOf(env, impl, url.searchParams.get('name') ?? 'x')
    if (url.pathname === '/fill') {
      const count = Number(url.searchParams.get('count'))
      // In chunks: one call per 1,000, so no single call runs for long.
      for (let done = 0; done < count; done += 1000) await stub.fill(done, Math.min(1000, count - done))
      return Response.json({ pending: await stub.pending() })
    }
    if (url.pathname === '/addAndFire') {
      // n times: add one run due now, then fire what is due; time per add+fire, and each part.
      const n = Number(url.searchParams.get('n'))
      let addMs = 0
      let fireMs = 0
      for (let index = 0; index < n; index++) {
        const start = performance.now()
        const at = Date.now() - 1
        await stub.add(at)
        const added = performance.now()
        if (impl === 'agents') await stub.fire!()
        else await stub.__cloudwerkTest!({ op: 'runDue', at })
        fireMs += performance.now() - added
        addMs += added - start
      }
      return Response.json({ addMs: addMs / n, fireMs: fireMs / n, pending: await stub.pending() })
    }
    return new Response('not found', { status: 404 })
  },
}
