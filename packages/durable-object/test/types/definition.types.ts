// Compile-time checks of the public types, under strict (test/tsconfig.json). Nothing here runs:
// each `expectType<...>()` fails the type-check when its condition is false, and each
// `@ts-expect-error` fails it when the line below it type-checks.
import {
  createDurableObjectClass,
  defineDurableObject,
  type AlarmInfo,
  type DefaultEnv,
  type MethodsOf,
  type ObjectContext,
  type StateOf,
} from '@cloudwerk/durable-object'
import { z } from 'zod'

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false
function expectType<T extends true>(): void {}

interface CartState {
  items: Array<{ productId: string; quantity: number }>
}

export const cart = defineDurableObject<CartState, { DB: D1Database }>({
  init(ctx) {
    expectType<Equal<typeof ctx, ObjectContext<{ DB: D1Database }>>>()
    return { items: [] }
  },
  methods: {
    async increment(amount = 1) {
      expectType<Equal<typeof amount, number>>()
      return amount
    },
    async addItem(productId: string, quantity: number) {
      expectType<Equal<typeof productId, string>>()
      this.state.items.push({ productId, quantity })
      // @ts-expect-error state is typed: quantity is a number
      this.state.items.push({ productId, quantity: 'many' })
      // @ts-expect-error state is typed: no such key
      this.state.missing = 1
      this.state = { items: [] }
      return this.state.items
    },
    async useContext() {
      await this.increment(2) // other methods, through this
      expectType<Equal<typeof this.ctx.env.DB, D1Database>>()
      expectType<Equal<typeof this.env, { DB: D1Database }>>()
      const rows: Record<string, SqlStorageValue>[] = this.ctx.sql.exec('SELECT ?', [1]).toArray()
      const variadic = this.ctx.sql.exec<{ n: number }>('SELECT ? AS n', 1).one().n
      const first: { n: number } | null = this.ctx.sql.one<{ n: number }>('SELECT 1 AS n')
      const written: number = this.ctx.sql.run('DELETE FROM t WHERE a = ?', 'x').rowsWritten
      this.broadcast({ type: 'hello' }, this.ctx.getWebSockets('admin'))
      await this.ctx.storage.setAlarm(Date.now() + 1000)
      return { rows, variadic, first, written }
    },
  },
  async fetch(request) {
    expectType<Equal<typeof request, Request>>()
    return new Response(String(this.state.items.length))
  },
  async alarm(info) {
    expectType<Equal<typeof info, AlarmInfo>>()
  },
  async webSocketMessage(ws, message) {
    expectType<Equal<typeof message, string | ArrayBuffer>>()
  },
  async webSocketClose(ws, code, reason, wasClean) {
    expectType<Equal<[typeof code, typeof reason, typeof wasClean], [number, string, boolean]>>()
  },
})
expectType<Equal<StateOf<typeof cart>, CartState>>()

// With zod, the state type comes from the schema.
const Session = z.object({ userId: z.string() })
export const session = defineDurableObject<z.infer<typeof Session>>({
  schema: Session,
  init: () => ({ userId: '' }),
  methods: {
    async setUser(userId: string) {
      this.state.userId = userId
    },
  },
})

defineDurableObject<CartState>({
  methods: {
    // @ts-expect-error an RPC parameter needs a type (or a default): it is never silently any
    async rename(name) {
      return name
    },
  },
})
// @ts-expect-error init must return the declared state
defineDurableObject<CartState>({ init: () => ({ items: 'none' }) })
// @ts-expect-error every object is SQLite-backed
defineDurableObject({ sqlite: false })
// @ts-expect-error the schema must describe the declared state
defineDurableObject<CartState>({ schema: z.object({ items: z.string() }) })

// Without type arguments the state and the method table are inferred exactly, and the
// generated class gives typed stubs.
export const tally = defineDurableObject({
  init: () => ({ count: 0 }),
  methods: {
    async add(by: number) {
      this.state.count += by
      return this.state.count
    },
  },
})
expectType<Equal<StateOf<typeof tally>, { count: number }>>()

// Inferred method tables type `this`: the object's own methods, nothing else.
export const typedThis = defineDurableObject({
  init: () => ({ replies: [] as string[] }),
  memory: () => ({ sessions: new Map<string, { name: string }>() }),
  methods: {
    async add(text: string) {
      this.state.replies.push(text)
      return this.state.replies.length
    },
    async ask(question: string) {
      const length: number = await this.add(question)
      // @ts-expect-error this is typed with the object's own methods: no such method
      await this.anyTypo()
      // @ts-expect-error the method's parameters are checked through this
      await this.add(1)
      const reply = await this.outside(async () => `echo: ${question}`)
      expectType<Equal<typeof reply, string>>()
      const count = await this.outside(() => 1)
      expectType<Equal<typeof count, number>>()
      expectType<Equal<typeof this.memory.sessions, Map<string, { name: string }>>>()
      // @ts-expect-error this.memory is typed by memory()
      this.memory.missing = 1
      return { length, reply, count }
    },
  },
  async fetch() {
    const length: number = await this.add('from fetch')
    // @ts-expect-error handlers see the same methods
    this.nope()
    return new Response(String(length))
  },
})

// With type arguments, this.memory is a loose record and this.outside is still typed.
defineDurableObject<CartState>({
  methods: {
    async load() {
      const value: unknown = this.memory.anything
      const items = await this.outside(async () => [{ productId: 'p', quantity: 1 }])
      this.state.items = items
      return value
    },
  },
})
expectType<Equal<Parameters<MethodsOf<typeof tally>['add']>, [by: number]>>()

// Declared schedules name methods of the definition; this.schedule is there in every method.
export const planner = defineDurableObject({
  init: () => ({ runs: 0 }),
  schedules: {
    sweep: { every: '30 minutes', run: 'sweep' },
    digest: { cron: '0 9 * * *', run: 'digest', timezone: 'Europe/Paris' },
  },
  methods: {
    async sweep() {
      this.state.runs += 1
      const key: string = this.schedule.after(60_000, 'digest', [], { key: 'next' })
      const cancelled: boolean = this.schedule.cancel(key)
      return { cancelled, pending: this.schedule.list().filter((entry) => entry.due !== null).length }
    },
    async digest() {},
  },
})
expectType<Equal<StateOf<typeof planner>, { runs: number }>>()
defineDurableObject({
  // @ts-expect-error a schedule runs a method of the definition
  schedules: { sweep: { every: '30 minutes', run: 'swep' } },
  methods: { async sweep() {} },
})
// @ts-expect-error a schedule has every or cron, not both
defineDurableObject({ schedules: { s: { every: '1 hour', cron: '0 * * * *', run: 'go' } }, methods: { async go() {} } })

export class Tally extends createDurableObjectClass(tally, { name: 'Tally' }) {}
export class Cart extends createDurableObjectClass(cart, { name: 'Cart' }) {}

export async function callStubs(tallies: DurableObjectNamespace<Tally>, carts: DurableObjectNamespace<Cart>, env: DefaultEnv) {
  const count: number = await tallies.getByName('x').add(1)
  // @ts-expect-error stub parameters are typed
  await tallies.getByName('x').add('1')
  // A definition with explicit type arguments gets its stub types from `cloudwerk types` instead.
  expectType<Equal<'increment' extends keyof InstanceType<typeof Cart> ? true : false, false>>()
  return { count, env }
}
