// Benchmark Worker: the same counter written with Cloudwerk, by hand, with PartyServer and with
// the Agents SDK, plus a Cloudwerk object with a ~1 MB state for measuring bytes written per
// call. Bundled by run.mjs (the peers come from bench/node_modules; the Agents SDK needs
// nodejs_compat, which the whole Worker gets so every counter runs under the same flags).
import { DurableObject } from 'cloudflare:workers'
import { createDurableObjectClass, defineDurableObject } from '@cloudwerk/durable-object'
import { Agent, getAgentByName } from 'agents'
import { getServerByName, Server } from 'partyserver'

const counter = defineDurableObject<{ value: number }>({
  init: () => ({ value: 0 }),
  methods: {
    async increment() {
      this.state.value += 1
      return this.state.value
    },
  },
})

export class CloudwerkCounter extends createDurableObjectClass(counter, { name: 'CloudwerkCounter' }) {}

/** What a careful developer writes without the framework: one storage get and put per call. */
export class HandCounter extends DurableObject {
  async increment(): Promise<number> {
    const value = ((await this.ctx.storage.get<number>('value')) ?? 0) + 1
    await this.ctx.storage.put('value', value)
    return value
  }
}

/** PartyServer has no state helper: a Server subclass uses the storage API like the hand-written one. */
export class PartyCounter extends Server {
  async increment(): Promise<number> {
    const value = ((await this.ctx.storage.get<number>('value')) ?? 0) + 1
    await this.ctx.storage.put('value', value)
    return value
  }
}

/** The Agents SDK's own way: `initialState` and `setState` (persisted, synced to clients). */
export class AgentCounter extends Agent<Record<string, unknown>, { value: number }> {
  initialState = { value: 0 }
  async increment(): Promise<number> {
    this.setState({ value: this.state.value + 1 })
    return this.state.value
  }
}

const large = defineDurableObject<{ blob: string; counter: number }>({
  init: () => ({ blob: 'x'.repeat(1_000_000), counter: 0 }),
  methods: {
    async touch() {
      this.state.counter += 1
      return this.state.counter
    },
    async stateBytes() {
      return new TextEncoder().encode(JSON.stringify(this.state)).byteLength
    },
    async databaseSize() {
      return this.ctx.storage.sql.databaseSize
    },
    // Counts what the runtime writes to its state rows (key + value bytes) with SQL triggers.
    async watchWrites() {
      this.ctx.sql.run(`
        CREATE TABLE IF NOT EXISTS write_log (bytes INTEGER);
        CREATE TRIGGER IF NOT EXISTS log_insert AFTER INSERT ON cloudwerk_state
          BEGIN INSERT INTO write_log VALUES (length(CAST(new.key AS BLOB)) + length(CAST(new.value AS BLOB))); END;
        CREATE TRIGGER IF NOT EXISTS log_update AFTER UPDATE ON cloudwerk_state
          BEGIN INSERT INTO write_log VALUES (length(CAST(new.key AS BLOB)) + length(CAST(new.value AS BLOB))); END;
      `)
    },
    async takeWrites() {
      const totals = this.ctx.sql.one<{ rows: number; bytes: number | null }>('SELECT count(*) AS rows, sum(bytes) AS bytes FROM write_log')
      this.ctx.sql.run('DELETE FROM write_log')
      return { rows: totals?.rows ?? 0, bytes: totals?.bytes ?? 0 }
    },
  },
})

export class CloudwerkLarge extends createDurableObjectClass(large, { name: 'CloudwerkLarge' }) {}

interface Env {
  CLOUDWERK: DurableObjectNamespace
  HAND: DurableObjectNamespace
  PARTY: DurableObjectNamespace<PartyCounter>
  AGENT: DurableObjectNamespace<AgentCounter>
  LARGE: DurableObjectNamespace
}

type Stub = Record<string, (...args: unknown[]) => Promise<unknown>>

/**
 * route -> stub, the way each one documents it. PartyServer and the Agents SDK hand out stubs
 * for RPC through getServerByName / getAgentByName, which first make one RPC that waits for the
 * object's onStart, so a call costs them two round trips to the object.
 */
async function stubFor(env: Env, impl: string | null, name: string): Promise<Stub> {
  switch (impl) {
    case 'hand':
      return env.HAND.getByName(name) as unknown as Stub
    case 'partyserver':
      return (await getServerByName(env.PARTY, name)) as unknown as Stub
    case 'agents':
      return (await getAgentByName(env.AGENT, name)) as unknown as Stub
    default:
      return env.CLOUDWERK.getByName(name) as unknown as Stub
  }
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url)
    const impl = url.searchParams.get('impl')
    const name = url.searchParams.get('name') ?? 'bench'
    if (url.pathname === '/increment') return Response.json(await (await stubFor(env, impl, name)).increment())
    if (url.pathname === '/batch') {
      // n calls from inside the Worker, `concurrency` at a time: RPC cost without HTTP in front.
      const n = Number(url.searchParams.get('n'))
      const concurrency = Number(url.searchParams.get('concurrency'))
      let next = 0
      const lane = async () => {
        while (next < n) {
          next++
          await (await stubFor(env, impl, name)).increment()
        }
      }
      await Promise.all(Array.from({ length: concurrency }, lane))
      return Response.json(n)
    }
    if (url.pathname === '/large') {
      const large = env.LARGE.getByName('large') as unknown as Stub
      const method = url.searchParams.get('method')!
      return Response.json((await large[method]()) ?? null)
    }
    return new Response('not found', { status: 404 })
  },
}
