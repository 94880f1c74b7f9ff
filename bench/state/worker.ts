// Benchmark Worker for the state cost: a chat room holding 5,000 messages (~1 MB) and a method
// that appends one. Three rooms: Cloudwerk with the messages in `this.state` (one array under one
// top-level key), Cloudwerk with the messages in a `ctx.sql` table (what the framework's docs and
// examples/chat do for bulk data), and a hand-written DurableObject that inserts one row.
// SQL triggers log the bytes each room writes. Bundled by run.mjs.
import { DurableObject } from 'cloudflare:workers'
import { createDurableObjectClass, defineDurableObject } from '@cloudwerk/durable-object'

const MESSAGES = 5_000
const TEXT =
  'lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua. Ut enim ad minim.'

interface Message {
  id: number
  user: string
  text: string
  sentAt: number
}

const message = (id: number): Message => ({ id, user: `user-${id % 200}`, text: TEXT, sentAt: 1_767_225_600_000 + id })

const MESSAGES_TABLE =
  'CREATE TABLE IF NOT EXISTS messages (id INTEGER PRIMARY KEY, user TEXT NOT NULL, text TEXT NOT NULL, sent_at INTEGER NOT NULL)'

/**
 * Logs the bytes of every row written to `table` (each column as text: what a row costs, in the
 * same unit as Cloudwerk's key + JSON value). `columns` are summed.
 */
function watchWrites(sql: SqlStorage, table: string, columns: string[]): void {
  const bytes = columns.map((column) => `length(CAST(new.${column} AS BLOB))`).join(' + ')
  sql.exec(`CREATE TABLE IF NOT EXISTS write_log (bytes INTEGER)`)
  sql.exec(`CREATE TRIGGER IF NOT EXISTS log_insert_${table} AFTER INSERT ON ${table} BEGIN INSERT INTO write_log VALUES (${bytes}); END`)
  sql.exec(`CREATE TRIGGER IF NOT EXISTS log_update_${table} AFTER UPDATE ON ${table} BEGIN INSERT INTO write_log VALUES (${bytes}); END`)
}

function takeWrites(sql: SqlStorage): { rows: number; bytes: number } {
  const totals = sql.exec<{ rows: number; bytes: number | null }>('SELECT count(*) AS rows, sum(bytes) AS bytes FROM write_log').one()
  sql.exec('DELETE FROM write_log')
  return { rows: totals.rows, bytes: totals.bytes ?? 0 }
}

const stateRoom = defineDurableObject<{ messages: Message[] }>({
  init: () => ({ messages: Array.from({ length: MESSAGES }, (_, id) => message(id)) }),
  methods: {
    async append() {
      this.state.messages.push(message(this.state.messages.length))
      return this.state.messages.length
    },
    async info() {
      return {
        messages: this.state.messages.length,
        stateBytes: JSON.stringify(this.state).length,
        databaseSize: this.ctx.storage.sql.databaseSize,
      }
    },
    async watchWrites() {
      watchWrites(this.ctx.storage.sql, 'cloudwerk_state', ['key', 'value'])
      // A long array is stored one row per item (key, position, value).
      watchWrites(this.ctx.storage.sql, 'cloudwerk_items', ['key', 'position', 'value'])
    },
    async takeWrites() {
      return takeWrites(this.ctx.storage.sql)
    },
  },
})

const sqlRoom = defineDurableObject<{ count: number }>({
  init(ctx) {
    ctx.sql.run(MESSAGES_TABLE)
    for (let id = 0; id < MESSAGES; id++) {
      const m = message(id)
      ctx.sql.run('INSERT INTO messages VALUES (?, ?, ?, ?)', m.id, m.user, m.text, m.sentAt)
    }
    return { count: MESSAGES }
  },
  methods: {
    // The count is in the state too, as an app would keep one: the turn commits that small key.
    async append() {
      const m = message(this.state.count)
      this.ctx.sql.run('INSERT INTO messages VALUES (?, ?, ?, ?)', m.id, m.user, m.text, m.sentAt)
      this.state.count += 1
      return this.state.count
    },
    async info() {
      return { messages: this.state.count, databaseSize: this.ctx.storage.sql.databaseSize }
    },
    async watchWrites() {
      watchWrites(this.ctx.storage.sql, 'messages', ['id', 'user', 'text', 'sent_at'])
      watchWrites(this.ctx.storage.sql, 'cloudwerk_state', ['key', 'value'])
    },
    async takeWrites() {
      return takeWrites(this.ctx.storage.sql)
    },
  },
})

export class CloudwerkStateRoom extends createDurableObjectClass(stateRoom, { name: 'CloudwerkStateRoom' }) {}
export class CloudwerkSqlRoom extends createDurableObjectClass(sqlRoom, { name: 'CloudwerkSqlRoom' }) {}

/** What a careful developer writes without the framework: one INSERT per message. */
export class HandRoom extends DurableObject {
  #count: number

  constructor(ctx: DurableObjectState, env: unknown) {
    super(ctx, env as never)
    const sql = ctx.storage.sql
    sql.exec(MESSAGES_TABLE)
    this.#count = sql.exec<{ n: number }>('SELECT count(*) AS n FROM messages').one().n
    if (this.#count === 0) {
      ctx.storage.transactionSync(() => {
        for (let id = 0; id < MESSAGES; id++) {
          const m = message(id)
          sql.exec('INSERT INTO messages VALUES (?, ?, ?, ?)', m.id, m.user, m.text, m.sentAt)
        }
      })
      this.#count = MESSAGES
    }
  }

  async append(): Promise<number> {
    const m = message(this.#count)
    this.ctx.storage.sql.exec('INSERT INTO messages VALUES (?, ?, ?, ?)', m.id, m.user, m.text, m.sentAt)
    return ++this.#count
  }

  async info() {
    return { messages: this.#count, databaseSize: this.ctx.storage.sql.databaseSize }
  }

  async watchWrites() {
    watchWrites(this.ctx.storage.sql, 'messages', ['id', 'user', 'text', 'sent_at'])
  }

  async takeWrites() {
    return takeWrites(this.ctx.storage.sql)
  }
}

interface Env {
  STATE: DurableObjectNamespace
  SQL: DurableObjectNamespace
  HAND: DurableObjectNamespace
}

type Stub = Record<string, (...args: unknown[]) => Promise<unknown>>

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url)
    const namespace = { state: env.STATE, sql: env.SQL, hand: env.HAND }[url.searchParams.get('impl') ?? '']
    if (!namespace) return new Response('impl must be state, sql or hand', { status: 400 })
    const room = namespace.getByName('room') as unknown as Stub
    if (url.pathname === '/append') {
      // n appends one after another from inside the Worker: route -> stub -> method, no HTTP.
      const n = Number(url.searchParams.get('n') ?? 1)
      for (let i = 0; i < n; i++) await room.append()
      return Response.json(n)
    }
    const method = url.pathname.slice(1)
    if (['info', 'watchWrites', 'takeWrites'].includes(method)) return Response.json((await room[method]()) ?? null)
    return new Response('not found', { status: 404 })
  },
}
