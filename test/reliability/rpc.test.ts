// Hostile RPC against a built app: arguments of the wrong type, values that RPC or state cannot
// hold, names that are not methods, and keys that name a prototype. Calls are made by the app's
// /api/rpc route, inside workerd, on the native stub (`via: 'native'`) unless said otherwise.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { buildAndServe, copyApp, rpc } from './support/app.mjs'

let app: Awaited<ReturnType<typeof buildAndServe>>
beforeAll(async () => {
  app = await buildAndServe(copyApp('target'))
}, 60_000)
afterAll(() => app?.close())

type Outcome = { ok: true; value?: any } | { ok: false; error: { name: string; message: string } }
const call = (name: string, method: string, ...args: unknown[]): Promise<Outcome> =>
  rpc(app.url, { object: 'Ledger', name, method, args, via: 'native' })
const read = async (name: string) => ((await call(name, 'read')) as { value: unknown }).value
/** A value the route builds inside the Worker, because JSON cannot carry it. */
const special = (kind: string) => ({ $: kind })

/** Gives the ledger `name` some state, and returns it: what every refused call must leave. */
async function seed(name: string) {
  await call(name, 'deposit', 'a', 5)
  await call(name, 'note', 'keep', 'me')
  return read(name)
}

describe('arguments of the wrong type', () => {
  test.each([
    ['a string amount', ['x', '5'], /state\.balance: Invalid input: expected number, received string/],
    ['a fractional amount', ['x', 1.5], /state\.balance: Invalid input: expected int, received number/],
    ['an amount that makes the balance negative', ['x', -10], /state\.balance: Too small: expected number to be >=0/],
    ['a numeric id', [5, 1], /state\.entries\[1\]\.id: Invalid input: expected string, received number/],
    ['an object as the amount', ['x', { value: 1 }], /state\.balance: Invalid input: expected number, received string/],
    ['no arguments at all', [], /state\.balance is NaN/],
  ])('%s: a DurableObjectStateError naming the field, and nothing saved', async (kind, args, message) => {
    const before = await seed(kind)
    const outcome = await call(kind, 'deposit', ...args)
    expect(outcome.ok).toBe(false)
    if (outcome.ok) return
    expect(outcome.error.name).toBe('DurableObjectStateError')
    expect(outcome.error.message).toMatch(message)
    expect(await read(kind)).toEqual(before)
  })

  test('through durableObjects the same failure is a DurableObjectRPCError naming object and method', async () => {
    const outcome = await rpc(app.url, { object: 'Ledger', name: 'wrong-types', method: 'deposit', args: ['x', '5'] })
    expect(outcome).toMatchObject({
      ok: false,
      error: {
        name: 'DurableObjectRPCError',
        message: expect.stringMatching(/^Ledger\.deposit\(\) failed: Ledger: this change would leave the state invalid/),
      },
    })
  })
})

describe('values that state cannot hold', () => {
  test.each([
    ['a function (RPC passes it as a stub)', 'function', /state\.notes\.bad is a function/],
    ['a bigint', 'bigint', /state\.notes\.bad is a bigint/],
    ['a Date', 'date', /state\.notes\.bad is a Date/],
    ['a Map', 'map', /state\.notes\.bad is a Map/],
    ['NaN', 'nan', /state\.notes\.bad is NaN/],
    ['a cycle', 'cycle', /state\.notes\.bad\.self refers back to state\.notes\.bad \(a cycle\)/],
  ])('%s: refused with the path and the fix; nothing saved', async (_kind, kind, message) => {
    const before = await seed('unstorable')
    const outcome = await call('unstorable', 'note', 'bad', special(kind))
    expect(outcome).toMatchObject({ ok: false, error: { name: 'DurableObjectStateError', message: expect.stringMatching(message) } })
    if (!outcome.ok) expect(outcome.error.message).toContain('Fix:')
    expect(await read('unstorable')).toEqual(before)
  })

  test('a Symbol cannot even be sent: the call fails before it reaches the object', async () => {
    const before = await seed('unsendable')
    expect(await call('unsendable', 'note', 'bad', special('symbol'))).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/could not be cloned/) },
    })
    expect(await read('unsendable')).toEqual(before)
  })

  test('a result holding state inside a Map is sent as data', async () => {
    await call('results', 'deposit', 'a', 1)
    expect(await call('results', 'changeAndReturn', 'state-in-map')).toEqual({
      ok: true,
      value: { $map: [['entries', [{ id: 'a', amount: 1 }]]] },
    })
  })

  test('known limit: a result RPC cannot send fails the call after the turn committed', async () => {
    // The object cannot know what RPC will refuse to serialize: the change is saved, the caller
    // gets the error. Return data (plain objects, arrays, Maps, Sets); see RELIABILITY.md.
    await call('unsendable-result', 'deposit', 'a', 1)
    expect(await call('unsendable-result', 'changeAndReturn', 'weakmap')).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/could not be cloned/) },
    })
    expect(await read('unsendable-result')).toMatchObject({ balance: 2 })
  })
})

describe('names that are not methods', () => {
  test.each([
    ['constructor', /Illegal constructor/],
    ['state', /The RPC receiver does not implement the method "state"/],
    ['ctx', /does not implement the method "ctx"/],
    ['env', /does not implement the method "env"/],
    ['broadcast', /does not implement the method "broadcast"/],
    ['init', /does not implement the method "init"/],
    ['runTurn', /does not implement the method "runTurn"/],
    ['alarm', /'alarm' is a reserved method and cannot be called over RPC/],
    ['__proto__', /is not a function/], // the stub has no such method to call
    ['then', /is not a function/], // stubs are not thenables
  ])('%s fails, and the object is unchanged and still answers', async (method, message) => {
    const before = await seed('names')
    expect(await call('names', method, 'x', 1)).toMatchObject({ ok: false, error: { message: expect.stringMatching(message) } })
    expect(await read('names')).toEqual(before)
  })

  test("Object.prototype's methods answer (workerd), but cannot replace a method", async () => {
    // __defineGetter__ runs, and deposit is still the object's own method afterwards.
    expect(await call('names', '__defineGetter__', 'deposit', special('function'))).toEqual({ ok: true })
    expect(await call('names', 'deposit', 'b', 1)).toEqual({ ok: true, value: expect.any(Number) })
    expect(await call('names', 'hasOwnProperty', 'deposit')).toEqual({ ok: true, value: false })
  })
})

describe('keys that name a prototype are data, never a prototype', () => {
  const polluted = { object: false, array: false, objectCtor: false, plain: null }
  const writes: Array<[string, string, unknown[]]> = [
    ['assigned', 'note', ['__proto__', { polluted: 'yes' }]],
    ['assigned as constructor', 'note', ['constructor', { prototype: { polluted: 'yes' } }]],
    ['merged with Object.assign', 'merge', [special('proto-json')]],
    ['spread into a new object', 'spread', [special('deep-proto-json')]],
    ['created on first use (??=)', 'bucket', ['__proto__', 'polluted', 'yes']],
    ['created on first use, as constructor', 'bucket', ['constructor', 'polluted', 'yes']],
  ]

  test.each(writes)('%s', async (_how, method, args) => {
    const name = `proto-${method}-${String(args[0]).replace(/\W/g, '')}`
    expect(await call(name, method, ...args)).toEqual({ ok: true })
    expect(await call(name, 'prototypes', 'polluted')).toEqual({ ok: true, value: polluted })
    expect(JSON.stringify(await read(name))).toContain('"polluted":"yes"') // kept, as data
  })

  test('stored, reloaded after eviction, and still data', async () => {
    await call('proto-reload', 'bucket', '__proto__', 'polluted', 'yes')
    await call('proto-reload', 'note', '__proto__', { polluted: 'yes' })
    const stored = await read('proto-reload')
    await app.evict('Ledger', 'proto-reload', 'close')
    expect(await read('proto-reload')).toEqual(stored)
    expect(await call('proto-reload', 'bucket', '__proto__', 'again', 'yes')).toEqual({ ok: true })
    expect(await call('proto-reload', 'prototypes', 'again')).toEqual({ ok: true, value: polluted })
    expect(await call('proto-reload', 'prototypes', 'polluted')).toEqual({ ok: true, value: polluted })
  })
})
