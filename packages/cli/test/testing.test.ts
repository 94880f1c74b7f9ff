import { expect, test } from 'vitest'
import { useTestApp } from './support/test-app.js'

// The helper apps use in their own tests (`@cloudwerk/cli/testing`), tested as they use it.
const fixture = useTestApp('testing-app')
const objects = fixture.objects

test('routes answer through fetch', async () => {
  expect(await (await fixture.app.fetch('/api/counter/a', { method: 'POST' })).json()).toEqual({ value: 1, version: 1 })
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
  await fixture.app.runAlarm(reminder)
  expect(await reminder.status()).toEqual({ fired: 1, note: 'water the plants', alarm: null })
  await fixture.app.evict()
  expect(await reminder.status()).toEqual({ fired: 1, note: 'water the plants', alarm: null })
  expect(await objects().Counter.getByName('a').increment(5)).toBe(6)
})

test('runAlarm refuses what is not a stub from app.objects', async () => {
  await expect(fixture.app.runAlarm({})).rejects.toThrow(/takes a stub from app.objects/)
})

test('seed stores data at an old version: the next call runs the migrate steps from there, in workerd', async () => {
  const atOne = objects().Profile.getByName('seeded-1')
  await fixture.app.seed(atOne, { name: 'Ada' }, { version: 1 })
  expect(await atOne.read()).toEqual({ title: 'Ada', tags: [] })
  const atTwo = objects().Profile.getByName('seeded-2')
  await fixture.app.seed(atTwo, { name: 'Grace', tags: ['kept'] }, { version: 2 })
  expect(await atTwo.read()).toEqual({ title: 'Grace', tags: ['kept'] })
  await fixture.app.evict()
  expect(await atTwo.read()).toEqual({ title: 'Grace', tags: ['kept'] })
})

test('a seeded state a step cannot migrate fails every call with the step until the data can be migrated', async () => {
  const broken = objects().Profile.getByName('seeded-broken')
  await fixture.app.seed(broken, { name: 42 }, { version: 2 })
  await expect(broken.read()).rejects.toThrow(
    'Profile: migrating the stored state from version 2 to 3 failed at step 2 -> 3: migrate[3] threw: name is 42, not a string. Nothing was written',
  )
  await expect(broken.read()).rejects.toThrow('keeps its version 2 state, and the next call tries again')
  await fixture.app.seed(broken, { name: 'fixed', tags: [] }, { version: 2 })
  expect(await broken.read()).toEqual({ title: 'fixed', tags: [] })
  await fixture.app.seed(broken, { title: 'from the future' }, { version: 4 })
  await expect(broken.read()).rejects.toThrow(/stored state is at version 4, newer than this code's version 3/)
  await expect(fixture.app.seed({}, {}, { version: 1 })).rejects.toThrow(/seed takes a stub from app.objects/)
})

test('runDue runs what is due at a given time, as the alarm would, without waiting; schedules lists them', async () => {
  const auction = objects().Auction.getByName('lamp')
  const now = Date.now()
  await auction.open('lamp', 10)
  await auction.remind('ada', now + 5 * 60_000)
  const schedules = await fixture.app.schedules(auction)
  expect(schedules.map((entry) => entry.key).sort()).toEqual(['close', 'remind:ada', 'sweep'])
  // The declared sweep runs on the half hour, which may come within the next minutes.
  const sweepBy = (minutes: number) => (schedules.find((entry) => entry.key === 'sweep')!.due! <= now + minutes * 60_000 ? 1 : 0)
  expect(await fixture.app.runDue(auction, { at: new Date(now + 6 * 60_000) })).toBe(1 + sweepBy(6))
  expect(await auction.status()).toMatchObject({ open: true, notified: ['ada'] })
  // 11 minutes on: the auction closes.
  await fixture.app.runDue(auction, { at: new Date(now + 11 * 60_000) })
  expect(await auction.status()).toMatchObject({ open: false, sweeps: sweepBy(11) })
  const close = (await fixture.app.schedules(auction)).find((entry) => entry.key === 'close')
  expect(close).toMatchObject({ status: 'done', due: null, runs: [{ ok: true }] })
})

test('runDue and schedules refuse what is not a stub, and runDue needs a time', async () => {
  await expect(fixture.app.runDue({}, { at: new Date() })).rejects.toThrow(/runDue takes a stub from app.objects/)
  await expect(fixture.app.schedules({})).rejects.toThrow(/schedules takes a stub from app.objects/)
  await expect(fixture.app.runDue(objects().Auction.getByName('x'), {} as never)).rejects.toThrow(/runDue needs the time to run at/)
})
