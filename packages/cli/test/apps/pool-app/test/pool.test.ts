import { env, evictDurableObject, runDurableObjectAlarm, SELF } from 'cloudflare:test'
import { readState } from '@cloudwerk/cli/vitest/read-state'
import { expect, test } from 'vitest'

test('a route answers through the Worker', async () => {
  const response = await SELF.fetch('http://app/api/counter/route?amount=2', { method: 'POST' })
  expect(await response.json()).toEqual({ value: 2 })
})

test('an object is called through its binding, and readState shows what it stored', async () => {
  const counter = env.COUNTER.getByName('direct')
  expect(await counter.increment(5)).toBe(5)
  expect(await readState(counter)).toMatchObject({ value: 5 })
})

test('state survives eviction', async () => {
  const counter = env.COUNTER.getByName('evicted')
  await counter.increment(3)
  await evictDurableObject(counter)
  expect(await counter.increment(1)).toBe(4)
})

test('an alarm runs on demand', async () => {
  const reminder = env.REMINDER.getByName('r')
  await reminder.setReminder('tea')
  expect(await runDurableObjectAlarm(reminder)).toBe(true)
  expect(await reminder.status()).toEqual({ fired: 1, note: 'tea', alarm: null })
  expect(await readState(reminder)).toEqual({ fired: 1, note: 'tea' })
})
