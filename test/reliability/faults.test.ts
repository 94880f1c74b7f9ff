// Faults inside the object runtime, against a built app: methods that fail halfway through a
// change (a seeded random sequence checked against a model), hibernation with open sockets, an
// alarm that fails twice before it succeeds, and a workerd restart at the end.
import { afterAll, beforeAll, expect, test } from 'vitest'
import { buildAndServe, copyApp, rpc } from './support/app.mjs'
import { openClient } from './support/ws-client.mjs'

let app: Awaited<ReturnType<typeof buildAndServe>>
beforeAll(async () => {
  app = await buildAndServe(copyApp('target'))
  // Armed first, checked later: the retries take seconds, which the other tests use.
  await call('FlakyAlarm', 'twice', 'arm', 2, 50)
}, 60_000)
afterAll(() => app?.close())

type Outcome = { ok: true; value?: any } | { ok: false; error: { name: string; message: string } }
const call = (object: string, name: string, method: string, ...args: unknown[]): Promise<Outcome> =>
  rpc(app.url, { object, name, method, args, via: 'native' })
const ledger = (method: string, ...args: unknown[]) => call('Ledger', 'fuzz', method, ...args)

/** mulberry32: a small seeded generator, so a failing sequence can be replayed. */
function randomGenerator(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** JSON with sorted keys: stored top-level keys come back in any order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`)
      .join(',')}}`
  }
  return JSON.stringify(value)
}

// Keys are set as own properties, as the state does: in the model too "__proto__" is data.
const put = (target: Record<string, any>, key: string, value: unknown) =>
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true })

const SEED = 20261125
const OPERATIONS = 150
const model = {
  balance: 0,
  entries: [] as Array<{ id: string; amount: number }>,
  notes: {} as Record<string, unknown>,
  buckets: {} as Record<string, Record<string, string>>,
}

test(`a method that fails halfway commits nothing: ${OPERATIONS} random calls against a model (seed ${SEED})`, async () => {
  const random = randomGenerator(SEED)
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]
  const keys = ['a', 'b', '__proto__', 'constructor', 'toString']
  const values = [1, 'text', null, true, [1, 2], { nested: { deep: [3] } }, { polluted: 'no' }]
  let failures = 0
  for (let i = 0; i < OPERATIONS; i++) {
    const kind = pick(['deposit', 'deposit', 'bad-deposit', 'fail', 'fail', 'note', 'forget', 'bucket', 'merge'] as const)
    let outcome: Outcome
    let expectOk = true
    if (kind === 'deposit') {
      const amount = 1 + Math.floor(random() * 9)
      outcome = await ledger('deposit', `e${i}`, amount)
      model.entries.push({ id: `e${i}`, amount })
      model.balance += amount
    } else if (kind === 'bad-deposit') {
      outcome = await ledger('deposit', `e${i}`, pick([-1_000_000, 1.5, '3', null]))
      expectOk = false
    } else if (kind === 'fail') {
      outcome = await ledger('changeThenFail', Math.floor(random() * 4))
      expectOk = false
    } else if (kind === 'note') {
      const [key, value] = [pick(keys), pick(values)]
      outcome = await ledger('note', key, value)
      put(model.notes, key, JSON.parse(JSON.stringify(value)))
    } else if (kind === 'forget') {
      const key = pick(keys)
      outcome = await ledger('note', key, { $: 'undefined' }) // undefined deletes the key
      delete model.notes[key]
    } else if (kind === 'bucket') {
      // Not toString: as in any plain object, an inherited method is not a missing key to `??=`.
      const [name, key, value] = [pick(keys.filter((k) => k !== 'toString')), pick(keys), `v${i}`]
      outcome = await ledger('bucket', name, key, value)
      if (!Object.hasOwn(model.buckets, name)) put(model.buckets, name, {})
      put(model.buckets[name], key, value)
    } else {
      const patch = JSON.parse(`{"${pick(keys)}": ${JSON.stringify(pick(values))}, "m${i}": ${i}}`)
      outcome = await ledger('merge', patch)
      for (const key of Object.keys(patch)) put(model.notes, key, patch[key])
    }
    expect(outcome.ok, `call ${i} (${kind}): ${JSON.stringify(outcome)}`).toBe(expectOk)
    if (!expectOk) failures++
    if (i % 25 === 24 || i === OPERATIONS - 1) expect(canonical((await ledger('read')).value), `after call ${i}`).toBe(canonical(model))
  }
  expect(failures).toBeGreaterThan(OPERATIONS / 5) // the sequence really exercised failures
  expect((await call('Ledger', 'fuzz', 'prototypes', 'polluted')).value).toEqual({
    object: false,
    array: false,
    objectCtor: false,
    plain: null,
  })
})

test('hibernation: the object leaves memory with sockets open; state, tags and attachments come back, init does not run again', async () => {
  const ada = await openClient(`${app.url}/api/room/hibernate?user=ada`)
  const bob = await openClient(`${app.url}/api/room/hibernate?user=bob`)
  ada.send({ type: 'say', id: '0:0:0' })
  await bob.next((frame) => frame.type === 'said')
  ada.send({ type: 'whoami' })
  const before = await ada.next((frame) => frame.type === 'you')

  await app.evict('Room', 'hibernate', 'hibernate')

  ada.received.length = 0
  bob.received.length = 0
  ada.send({ type: 'whoami' })
  bob.send({ type: 'whoami' })
  const [afterAda, afterBob] = await Promise.all([ada.next((frame) => frame.type === 'you'), bob.next((frame) => frame.type === 'you')])
  expect(afterAda.instance).toBeGreaterThan(before.instance) // a new instance answered...
  expect(afterAda).toEqual({ ...before, instance: afterAda.instance }) // ...with the same state, tag and attachment
  expect(afterBob).toMatchObject({ attachment: { user: 'bob', joinNumber: 2 }, tags: ['bob'], said: 1, initRuns: 1 })
  // Both sockets are still the object's: a broadcast after waking reaches both.
  bob.send({ type: 'say', id: '0:1:0' })
  await Promise.all([ada.next((frame) => frame.id === '0:1:0'), bob.next((frame) => frame.id === '0:1:0')])
  expect((await call('Room', 'hibernate', 'stats')).value).toEqual({ said: 2, joins: 2, sockets: 2, initRuns: 1 })
  await Promise.all([ada.close(), bob.close()])
})

test('an alarm that throws is retried, and commits nothing until it succeeds', async () => {
  const seen = new Set<string>()
  const deadline = Date.now() + 30_000
  let attempts: Array<{ retry_count: number; state: string }> = []
  while (attempts.length < 3 && Date.now() < deadline) {
    seen.add(canonical((await call('FlakyAlarm', 'twice', 'read')).value))
    attempts = (await call('FlakyAlarm', 'twice', 'attempts')).value
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  // Each attempt started from the committed state: the failed attempts' changes were dropped.
  expect(attempts).toEqual([0, 1, 2].map((n) => ({ retry_count: n, state: canonical({ fired: 1, log: [`attempt ${n}`] }) })))
  // Between attempts, callers only ever saw the state before the alarm, or after its success.
  const final = canonical({ fired: 1, log: ['attempt 2'] })
  expect([...seen].filter((state) => state !== canonical({ fired: 0, log: [] }) && state !== final)).toEqual([])
  expect((await call('FlakyAlarm', 'twice', 'read')).value).toEqual({ fired: 1, log: ['attempt 2'] })
  expect((await call('FlakyAlarm', 'twice', 'alarmAt')).value).toBeNull()
})

test('after a workerd restart, everything above was stored, and init has still run once', async () => {
  await app.restart()
  expect(canonical((await ledger('read')).value)).toBe(canonical(model))
  expect((await ledger('initRuns')).value).toBe(1)
  expect((await call('Room', 'hibernate', 'stats')).value).toEqual({ said: 2, joins: 2, sockets: 0, initRuns: 1 })
  expect((await call('FlakyAlarm', 'twice', 'read')).value).toEqual({ fired: 1, log: ['attempt 2'] })
})
