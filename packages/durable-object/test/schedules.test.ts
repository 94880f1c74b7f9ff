// Schedules in workerd: many named timers on the one alarm (fixtures/schedule-objects.ts). Most
// tests drive the clock with the test hook's runDue (what the alarm does, at a chosen time); the
// ones about the alarm itself wait for it to fire.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startWorker, type TestWorker } from '../../../test/support/worker'
import { objectClient, waitUntil, type ObjectClient } from './support/objects'

let worker: TestWorker
let objects: ObjectClient

beforeAll(async () => {
  worker = await startWorker({
    entry: new URL('./fixtures/schedule-app.ts', import.meta.url).pathname,
    durableObjects: { PLANNER: 'Planner', PLAIN: 'Plain', CLOCK: 'Clock' },
  })
  objects = objectClient(worker)
})
afterAll(() => worker?.dispose())

const MINUTE = 60_000
// Plain has no declared schedules, so how many runs are due never depends on the time of day.
const planner = (name: string, method: string, ...args: unknown[]) => objects.call<any>('PLANNER', name, method, ...args)
const plain = (name: string, method: string, ...args: unknown[]) => objects.call<any>('PLAIN', name, method, ...args)
const runDue = (binding: string, name: string, at: number) => objects.call<number>(binding, name, '__cloudwerkTest', { op: 'runDue', at })
const pendingIn = async (binding: string, name: string) =>
  (await objects.call<Array<{ key: string; due: number | null }>>(binding, name, 'list')).filter((entry) => entry.due !== null)
const pending = (name: string) => pendingIn('PLANNER', name)

describe('this.schedule', () => {
  test('a key replaces; the run is a turn of the method, once, and the history says so', async () => {
    const now = Date.now()
    await plain('keys', 'remindIn', 10 * MINUTE, 'ada')
    await plain('keys', 'remindIn', 20 * MINUTE, 'ada')
    const reminders = (await pendingIn('PLAIN', 'keys')).filter((entry) => entry.key === 'remind:ada')
    expect(reminders).toHaveLength(1)
    expect(reminders[0].due).toBeGreaterThanOrEqual(now + 20 * MINUTE)
    // Not due at +10 minutes any more (replaced), due at +20.
    expect(await runDue('PLAIN', 'keys', now + 11 * MINUTE)).toBe(0)
    expect(await runDue('PLAIN', 'keys', now + 21 * MINUTE)).toBe(1)
    expect(await plain('keys', 'read')).toEqual(['notify ada'])
    expect(await runDue('PLAIN', 'keys', now + 22 * MINUTE)).toBe(0)
    const list = await plain('keys', 'list')
    expect(list.find((entry: any) => entry.key === 'remind:ada')).toMatchObject({
      due: null,
      status: 'done',
      runs: [{ ok: true, attempt: 0 }],
    })
  })

  test('cancel removes a pending run and says whether there was one', async () => {
    await plain('cancel', 'remindIn', MINUTE, 'bob')
    expect(await plain('cancel', 'cancelReminder', 'bob')).toBe(true)
    expect(await plain('cancel', 'cancelReminder', 'bob')).toBe(false)
    expect(await runDue('PLAIN', 'cancel', Date.now() + 2 * MINUTE)).toBe(0)
    expect(await plain('cancel', 'read')).toEqual([])
  })

  test('schedule changes commit with the state, and a turn that throws leaves neither', async () => {
    expect(await objects.failure('PLAIN', 'turn', 'scheduleThenThrow', MINUTE)).toMatchObject({ message: 'the turn fails' })
    expect(await plain('turn', 'read')).toEqual([])
    expect((await pendingIn('PLAIN', 'turn')).map((entry) => entry.key)).not.toContain('ghost')
    await plain('turn', 'scheduleWithState', MINUTE)
    expect(await plain('turn', 'read')).toEqual(['scheduled'])
    expect((await pendingIn('PLAIN', 'turn')).map((entry) => entry.key)).toContain('with-state')
  })

  test('arguments over what a schedule row holds fail the call, naming the method and the way out; nothing of the turn is stored', async () => {
    await plain('huge', 'scheduleWithState', MINUTE)
    const error = await objects.failure('PLAIN', 'huge', 'remindAt', Date.now() + MINUTE, 'x'.repeat(3_000_000), 'big')
    expect(error.message).toMatch(
      /^Plain: this.schedule: the arguments of notify are 2\.86 MB as JSON, over what one schedule row can hold \(2 MB\)\. Pass an id/,
    )
    expect((await pendingIn('PLAIN', 'huge')).map((entry) => entry.key)).toEqual(['with-state'])
    expect(await plain('huge', 'read')).toEqual(['scheduled'])
  })

  test('this.outside commits the schedules made before it; inside its work this.schedule is refused', async () => {
    const error = await objects.failure('PLAIN', 'outside', 'scheduleAroundOutside', MINUTE)
    expect(error.message).toMatch(/^after outside: Plain: this.schedule cannot change while the call is outside/)
    expect((await pendingIn('PLAIN', 'outside')).map((entry) => entry.key)).toEqual(['before'])
  })

  test('scheduling a method that does not exist, or with a reserved key, fails the call and says why', async () => {
    const error = await objects.failure('PLAIN', 'unknown', 'scheduleMethod', 'notfy')
    expect(error.message).toMatch(/^Plain: this.schedule cannot run "notfy": it is not a method of this object \(did you mean "notify"\?\)/)
    const reserved = await objects.failure('PLAIN', 'unknown', 'remindAt', Date.now(), 'x', '#reserved')
    expect(reserved.message).toMatch(/a key must be a non-empty string not starting with "#"/)
    expect(await pendingIn('PLAIN', 'unknown')).toHaveLength(0)
  })

  test('due runs go in time order; one that fails does not hold up the others, and is retried with backoff, then recorded failed', async () => {
    const now = Date.now()
    await plain('order', 'failTimes', 'carol', 100)
    await plain('order', 'remindAt', now + 3 * MINUTE, 'dave', 'd')
    await plain('order', 'remindAt', now + MINUTE, 'carol', 'c')
    await plain('order', 'remindAt', now + 2 * MINUTE, 'erin', 'e')
    expect(await runDue('PLAIN', 'order', now + 4 * MINUTE)).toBe(3)
    expect(await plain('order', 'read')).toEqual(['notify erin', 'notify dave'])
    expect(await plain('order', 'failures', 'carol')).toBe(1)
    // Retries: 2 s, 4 s, 8 s ... after each failure; six retries, then it is recorded as failed.
    let at = now + 4 * MINUTE
    for (let retry = 0; retry < 6; retry++) {
      expect(await runDue('PLAIN', 'order', at + 1000)).toBe(0) // not yet: backoff
      at += 2000 * 2 ** retry
      expect(await runDue('PLAIN', 'order', at)).toBe(1)
    }
    expect(await runDue('PLAIN', 'order', at + 10 * MINUTE)).toBe(0)
    const carol = (await plain('order', 'list')).find((entry: any) => entry.key === 'c')
    expect(carol).toMatchObject({ due: null, status: 'failed', method: 'notify' })
    expect(carol.runs[0]).toMatchObject({ ok: false, attempt: 6, error: 'Error: notify carol fails' })
    expect(carol.runs).toHaveLength(5) // a short history
    expect(await plain('order', 'failures', 'carol')).toBe(7)
    expect(await plain('order', 'read')).toEqual(['notify erin', 'notify dave'])
  })

  test('a run may schedule itself again under its own key', async () => {
    await plain('repeat', 'startRepeat', 3)
    let at = Date.now()
    for (let index = 0; index < 3; index++) expect(await runDue('PLAIN', 'repeat', (at += MINUTE + 5000))).toBe(1)
    expect(await runDue('PLAIN', 'repeat', at + MINUTE)).toBe(0)
    expect(await plain('repeat', 'read')).toEqual(['repeat 3', 'repeat 2', 'repeat 1'])
  })
})

describe('declared schedules', () => {
  test('are there from the start, by name, and a missed period runs once', async () => {
    const list = await planner('declared', 'list')
    expect(list.map((entry: any) => [entry.key, entry.method, entry.every ?? entry.cron])).toEqual(
      expect.arrayContaining([
        ['sweep', 'sweep', 30 * MINUTE],
        ['digest', 'sendDigest', '0 9 * * *'],
      ]),
    )
    // Three days later: the sweep ran once, not 144 times, and the digest once, not three times.
    expect(await runDue('PLANNER', 'declared', Date.now() + 3 * 24 * 60 * MINUTE)).toBe(2)
    expect((await planner('declared', 'read')).sort()).toEqual(['digest', 'sweep'])
    const sweep = (await planner('declared', 'list')).find((entry: any) => entry.key === 'sweep')
    expect(sweep.due).toBeGreaterThan(Date.now() + 3 * 24 * 60 * MINUTE)
    expect(sweep.runs).toMatchObject([{ ok: true }])
  })

  test('a declared name cannot be used as a key', async () => {
    const error = await objects.failure('PLANNER', 'clash', 'remindAt', Date.now(), 'x', 'sweep')
    expect(error.message).toContain('"sweep" is the name of a declared schedule')
  })
})

describe('the one alarm', () => {
  test('is set to the earliest pending run, and fires it without help', async () => {
    await planner('alarm', 'remindIn', 10 * MINUTE, 'late')
    const declaredFirst = Math.min(...(await pending('alarm')).map((entry) => entry.due!))
    expect(await planner('alarm', 'nativeAlarm')).toBe(declaredFirst)
    await planner('alarm', 'remindIn', 1500, 'soon')
    expect(await planner('alarm', 'nativeAlarm')).toBeLessThan(declaredFirst)
    await waitUntil(
      () => planner('alarm', 'read'),
      (log) => log.includes('notify soon'),
    )
    expect(await planner('alarm', 'nativeAlarm')).toBe(declaredFirst)
  })

  test('is cleared when nothing is pending, so an idle object can sleep', async () => {
    await objects.call('CLOCK', 'idle', 'remindAt', Date.now() + 30)
    await waitUntil(
      () => objects.call<string[]>('CLOCK', 'idle', 'read'),
      (log) => log.includes('scheduled'),
    )
    expect(
      await waitUntil(
        () => objects.call('CLOCK', 'idle', 'nativeAlarm'),
        (at) => at === null,
      ),
    ).toBeNull()
  })

  test('ctx.storage.setAlarm/getAlarm/deleteAlarm is one more entry: getAlarm returns what it set', async () => {
    const now = Date.now()
    expect(await objects.call('CLOCK', 'user', 'setAlarm', now + 20 * MINUTE)).toBe(now + 20 * MINUTE)
    await objects.call('CLOCK', 'user', 'remindAt', now + 10 * MINUTE)
    // The native alarm is the earliest (the schedule), getAlarm still the user's own.
    expect(await objects.call('CLOCK', 'user', 'nativeAlarm')).toBe(now + 10 * MINUTE)
    expect(await objects.call('CLOCK', 'user', 'getAlarm')).toBe(now + 20 * MINUTE)
    expect(await runDue('CLOCK', 'user', now + 15 * MINUTE)).toBe(1)
    expect(await objects.call('CLOCK', 'user', 'getAlarm')).toBe(now + 20 * MINUTE)
    expect(await runDue('CLOCK', 'user', now + 25 * MINUTE)).toBe(1)
    expect(await objects.call('CLOCK', 'user', 'read')).toEqual(['scheduled', 'alarm 0'])
    expect(await objects.call('CLOCK', 'user', 'getAlarm')).toBeNull()
    await objects.call('CLOCK', 'user', 'setAlarm', now + 40 * MINUTE)
    await objects.call('CLOCK', 'user', 'deleteAlarm')
    expect(await objects.call('CLOCK', 'user', 'getAlarm')).toBeNull()
    expect(await objects.call('CLOCK', 'user', 'nativeAlarm')).toBeNull()
  })
})

test("a method named schedule (the reference guide's Reminder) is called as written, and this.schedule.at beside it still schedules", async () => {
  const now = Date.now()
  const alarm = await objects.call<number>('CLOCK', 'named', 'schedule', 30 * MINUTE)
  expect(alarm).toBeGreaterThanOrEqual(now + 30 * MINUTE)
  const both = await objects.call<{ alarm: number; key: string; keys: string[] }>(
    'CLOCK',
    'named',
    'scheduleBoth',
    40 * MINUTE,
    now + 10 * MINUTE,
  )
  expect(both.alarm).toBeGreaterThanOrEqual(now + 40 * MINUTE)
  expect(both.key).toBe('both')
  expect(both.keys).toEqual(expect.arrayContaining(['both', '#alarm']))
  expect(await runDue('CLOCK', 'named', now + 15 * MINUTE)).toBe(1)
  expect(await objects.call('CLOCK', 'named', 'read')).toEqual(['both'])
})

test('10,000 keyed schedules in one object: added, replaced, cancelled and fired by key', async () => {
  const at = Date.now() + 60 * MINUTE
  await plain('many', 'scheduleMany', 10_000, at)
  await plain('many', 'scheduleMany', 10_000, at) // the same keys: replaced, not doubled
  expect(await plain('many', 'count')).toBe(10_000)
  await plain('many', 'cancelMany', 0, 5)
  expect(await plain('many', 'count')).toBe(9_995)
  // The earliest five left are due at at+5 ... at+9.
  expect(await runDue('PLAIN', 'many', at + 9)).toBe(5)
  expect(await plain('many', 'read')).toEqual(['notify user-5', 'notify user-6', 'notify user-7', 'notify user-8', 'notify user-9'])
  expect(await plain('many', 'count')).toBe(9_990)
  expect(await plain('many', 'nativeAlarm')).toBe(at + 10)
})

// Last: these restart workerd, which evicts every object.
describe('across restarts and deploys', () => {
  test('eviction between schedules loses nothing, and waking never duplicates the declared ones', async () => {
    const now = Date.now()
    await plain('evict', 'remindAt', now + MINUTE, 'first', 'first')
    await plain('evict', 'remindAt', now + 2 * MINUTE, 'second', 'second')
    const declared = await pending('evict')
    expect(await runDue('PLAIN', 'evict', now + MINUTE)).toBe(1)
    await worker.restart()
    await worker.restart()
    expect(await runDue('PLAIN', 'evict', now + 2 * MINUTE)).toBe(1)
    expect(await plain('evict', 'read')).toEqual(['notify first', 'notify second'])
    // The declared ones: still one of each, at the same times.
    expect(await pending('evict')).toEqual(declared)
    expect(declared.map((entry) => entry.key).sort()).toEqual(['digest', 'sweep'])
  })

  test('an alarm set natively before the object had schedules stays its own alarm', async () => {
    const at = Date.now() + 20 * MINUTE
    await objects.call('CLOCK', 'legacy', 'read')
    await objects.call('CLOCK', 'legacy', 'becomeLegacy', at)
    await worker.restart()
    expect(await objects.call('CLOCK', 'legacy', 'getAlarm')).toBe(at)
    expect(await runDue('CLOCK', 'legacy', at)).toBe(1)
    expect(await objects.call('CLOCK', 'legacy', 'read')).toEqual(['alarm 0'])
  })

  test('a redeploy with changed schedules adds, changes and removes them by name', async () => {
    await planner('deploy', 'remindIn', 10 * MINUTE, 'kept')
    const before = await pending('deploy')
    await worker.restart({ entry: new URL('./fixtures/schedule-app-changed.ts', import.meta.url).pathname })
    const after = await planner('deploy', 'list')
    expect(
      after.filter((entry: any) => entry.due !== null).map((entry: any) => [entry.key, entry.every ?? entry.cron, entry.timezone]),
    ).toEqual(
      expect.arrayContaining([
        ['sweep', 60 * MINUTE, undefined],
        ['tidy', '15 3 * * *', 'Europe/Paris'],
        ['remind:ada', undefined, undefined].map((value, index) => (index === 0 ? 'remind:kept' : value)),
      ]),
    )
    expect(after.map((entry: any) => entry.key)).not.toContain('digest')
    expect(before.find((entry) => entry.key === 'remind:kept')!.due).toBe(after.find((entry: any) => entry.key === 'remind:kept').due)
    // Waking again with the same code changes nothing.
    await worker.restart()
    expect(await planner('deploy', 'list')).toEqual(after)
  })
})
