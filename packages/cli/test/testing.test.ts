import { afterAll, beforeAll, expect, test } from 'vitest'
import { startTestApp, type TestApp } from '../src/testing/index.js'
import { copyApp, removeApp } from './support/dev-process.js'

// The helper apps use in their own tests (`@cloudwerk/cli/testing`), tested as they use it.
let dir: string
let app: TestApp
beforeAll(async () => {
  dir = copyApp('testing-app')
  app = await startTestApp({ root: dir })
}, 60_000)
afterAll(async () => {
  await app?.close()
  removeApp(dir)
})

// The fixture has no generated types when this file is type-checked; the calls are untyped here.
const objects = () => app.objects as unknown as Record<string, { getByName(name: string): any }>

test('routes answer through fetch', async () => {
  expect(await (await app.fetch('/api/counter/a', { method: 'POST' })).json()).toEqual({ value: 1, version: 1 })
})

test('methods are called directly, with results as plain data and errors with their message', async () => {
  const reminder = objects().Reminder.getByName('r1')
  await reminder.setReminder('water the plants')
  expect(await reminder.status()).toMatchObject({ fired: 0, note: 'water the plants', alarm: expect.any(Number) })
  await expect(reminder.fail('no')).rejects.toThrow('refused: no')
  expect(await reminder.status()).toMatchObject({ note: 'water the plants' })
})

test('runAlarm runs the alarm now and clears the scheduled one; evict reloads state from storage', async () => {
  const reminder = objects().Reminder.getByName('r1')
  await app.runAlarm(reminder)
  expect(await reminder.status()).toEqual({ fired: 1, note: 'water the plants', alarm: null })
  await app.evict()
  expect(await reminder.status()).toEqual({ fired: 1, note: 'water the plants', alarm: null })
  expect(await objects().Counter.getByName('a').increment(5)).toBe(6)
})

test('runAlarm refuses what is not a stub from app.objects', async () => {
  await expect(app.runAlarm({})).rejects.toThrow(/takes a stub from app.objects/)
})

test('seed stores data at an old version: the next call runs the migrate steps from there, in workerd', async () => {
  const atOne = objects().Profile.getByName('seeded-1')
  await app.seed(atOne, { name: 'Ada' }, { version: 1 })
  expect(await atOne.read()).toEqual({ title: 'Ada', tags: [] })
  const atTwo = objects().Profile.getByName('seeded-2')
  await app.seed(atTwo, { name: 'Grace', tags: ['kept'] }, { version: 2 })
  expect(await atTwo.read()).toEqual({ title: 'Grace', tags: ['kept'] })
  await app.evict()
  expect(await atTwo.read()).toEqual({ title: 'Grace', tags: ['kept'] })
})

test('a seeded state a step cannot migrate fails every call with the step until the data can be migrated', async () => {
  const broken = objects().Profile.getByName('seeded-broken')
  await app.seed(broken, { name: 42 }, { version: 2 })
  await expect(broken.read()).rejects.toThrow(
    'Profile: migrating the stored state from version 2 to 3 failed at step 2 -> 3: migrate[3] threw: name is 42, not a string. Nothing was written',
  )
  await expect(broken.read()).rejects.toThrow('keeps its version 2 state, and the next call tries again')
  await app.seed(broken, { name: 'fixed', tags: [] }, { version: 2 })
  expect(await broken.read()).toEqual({ title: 'fixed', tags: [] })
  await app.seed(broken, { title: 'from the future' }, { version: 4 })
  await expect(broken.read()).rejects.toThrow(/stored state is at version 4, newer than this code's version 3/)
  await expect(app.seed({}, {}, { version: 1 })).rejects.toThrow(/seed takes a stub from app.objects/)
})

test('runDue runs what is due at a given time, as the alarm would, without waiting; schedules lists them', async () => {
  const auction = objects().Auction.getByName('lamp')
  const now = Date.now()
  await auction.open('lamp', 10)
  await auction.remind('ada', now + 5 * 60_000)
  const schedules = await app.schedules(auction)
  expect(schedules.map((entry) => entry.key).sort()).toEqual(['close', 'remind:ada', 'sweep'])
  // The declared sweep runs on the half hour, which may come within the next minutes.
  const sweepBy = (minutes: number) => (schedules.find((entry) => entry.key === 'sweep')!.due! <= now + minutes * 60_000 ? 1 : 0)
  expect(await app.runDue(auction, { at: new Date(now + 6 * 60_000) })).toBe(1 + sweepBy(6))
  expect(await auction.status()).toMatchObject({ open: true, notified: ['ada'] })
  // 11 minutes on: the auction closes.
  await app.runDue(auction, { at: new Date(now + 11 * 60_000) })
  expect(await auction.status()).toMatchObject({ open: false, sweeps: sweepBy(11) })
  const close = (await app.schedules(auction)).find((entry) => entry.key === 'close')
  expect(close).toMatchObject({ status: 'done', due: null, runs: [{ ok: true }] })
})

test('runDue and schedules refuse what is not a stub, and runDue needs a time', async () => {
  await expect(app.runDue({}, { at: new Date() })).rejects.toThrow(/runDue takes a stub from app.objects/)
  await expect(app.schedules({})).rejects.toThrow(/schedules takes a stub from app.objects/)
  await expect(app.runDue(objects().Auction.getByName('x'), {} as never)).rejects.toThrow(/runDue needs the time to run at/)
})
