// Benchmark Worker: the same counter written with Cloudwerk and by hand, plus a Cloudwerk
// object with a ~1 MB state for measuring bytes written per call. Bundled by run.mjs.
import { DurableObject } from 'cloudflare:workers'
import { createDurableObjectClass, defineDurableObject } from '@cloudwerk/durable-object'

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
  LARGE: DurableObjectNamespace
}

type Stub = Record<string, (...args: unknown[]) => Promise<unknown>>

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url)
    const impl = url.searchParams.get('impl') === 'hand' ? env.HAND : env.CLOUDWERK
    const stub = impl.getByName(url.searchParams.get('name') ?? 'bench') as unknown as Stub
    if (url.pathname === '/increment') return Response.json(await stub.increment())
    if (url.pathname === '/batch') {
      // n calls from inside the Worker, `concurrency` at a time: RPC cost without HTTP in front.
      const n = Number(url.searchParams.get('n'))
      const concurrency = Number(url.searchParams.get('concurrency'))
      let next = 0
      const lane = async () => {
        while (next < n) {
          next++
          await stub.increment()
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
