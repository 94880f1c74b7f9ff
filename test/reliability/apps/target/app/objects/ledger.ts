import { defineDurableObject } from '@cloudwerk/durable-object'
import { ledgerSchema, type Ledger } from '../lib/ledger-schema'

// A ledger with a strict schema: the reliability suite sends it wrong types, hostile keys and
// failures halfway through a change, and checks that nothing invalid or partial is ever stored.

export default defineDurableObject<Ledger>({
  schema: ledgerSchema,
  init(ctx) {
    // In SQL, outside this.state: counts how often init really ran.
    ctx.sql.run('CREATE TABLE IF NOT EXISTS init_log (at INTEGER)')
    ctx.sql.run('INSERT INTO init_log (at) VALUES (?)', [Date.now()])
    return { balance: 0, entries: [], notes: {}, buckets: {} }
  },
  methods: {
    async deposit(id: string, amount: number) {
      this.state.entries.push({ id, amount })
      this.state.balance += amount
      return this.state.balance
    },
    /** Changes every key, then fails at `step` (each later step changes more). */
    async changeThenFail(step: number) {
      this.state.balance += 1000
      if (step === 0) throw new Error('failed after the first change')
      this.state.entries.push({ id: 'ghost', amount: 1000 })
      this.state.entries.splice(0, 1)
      if (step === 1) throw new Error('failed after reshaping an array')
      delete this.state.notes.keep
      this.state.notes.ghost = { nested: ['ghost'] }
      this.state.buckets = {}
      await new Promise((resolve) => setTimeout(resolve, 5)) // outside I/O: other calls may queue
      if (step === 2) throw new Error('failed after an await')
      this.state = { balance: -1, entries: [], notes: {}, buckets: {} } // invalid: fails the schema
    },
    async read() {
      return this.state
    },
    async initRuns() {
      return this.ctx.sql.one<{ n: number }>('SELECT count(*) AS n FROM init_log')?.n ?? 0
    },
    async note(key: string, value: unknown) {
      this.state.notes[key] = value
    },
    async merge(patch: Record<string, unknown>) {
      Object.assign(this.state.notes, patch)
    },
    async spread(patch: Record<string, unknown>) {
      this.state.notes = { ...this.state.notes, ...patch }
    },
    async bucket(name: string, key: string, value: string) {
      this.state.buckets[name] ??= {}
      this.state.buckets[name][key] = value
    },
    async echo(value: unknown) {
      return value
    },
    /** Changes the state, then returns something RPC cannot send. */
    async changeAndReturn(kind: string) {
      this.state.balance += 1
      if (kind === 'symbol') return Symbol('not data')
      if (kind === 'weakmap') return new WeakMap()
      if (kind === 'state-in-map') return new Map([['entries', this.state.entries]])
      return this.state.balance
    },
    /** What an isolate-wide prototype looks like from inside the object. */
    async prototypes(name: string) {
      return {
        object: Object.hasOwn(Object.prototype, name),
        array: Object.hasOwn(Array.prototype, name),
        objectCtor: Object.hasOwn(Object, name),
        plain: (({}) as Record<string, unknown>)[name] ?? null,
      }
    },
  },
})
