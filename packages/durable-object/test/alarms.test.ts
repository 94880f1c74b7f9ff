// Alarms in workerd: alarm(info) is a turn; a throwing alarm commits nothing and is retried.
import { afterAll, beforeAll, expect, test } from 'vitest'
import { startWorker, type TestWorker } from '../../../test/support/worker'
import { objectClient, waitUntil, type ObjectClient } from './support/objects'

let worker: TestWorker
let objects: ObjectClient

beforeAll(async () => {
  worker = await startWorker({
    entry: new URL('./fixtures/alarm-app.ts', import.meta.url).pathname,
    durableObjects: { SESSION: 'Session', FLAKY: 'Flaky' },
  })
  objects = objectClient(worker)
})
afterAll(() => worker?.dispose())

const MINUTE = 60_000

test('init schedules the alarm; an alarm on an active session reschedules it', async () => {
  await objects.call('SESSION', 'active', 'getData')
  const first = await objects.call<number>('SESSION', 'active', 'getAlarm')
  expect(first - Date.now()).toBeGreaterThan(29 * MINUTE)
  await objects.call('SESSION', 'active', 'fireAlarmIn', 10)
  const rescheduled = await waitUntil(
    () => objects.call<number>('SESSION', 'active', 'getAlarm'),
    (at) => at !== null && at - Date.now() > 29 * MINUTE,
  )
  expect(rescheduled).toBeGreaterThan(first)
})

test('an alarm on an idle session deletes everything; the next call starts a new life', async () => {
  await objects.call('SESSION', 'idle', 'setData', 'cart', ['book'])
  expect(await objects.call('SESSION', 'idle', 'getData')).toEqual({ cart: ['book'] })
  await objects.call('SESSION', 'idle', 'goIdle')
  await objects.call('SESSION', 'idle', 'fireAlarmIn', 10)
  // After deleteAll, the next call runs init again: fresh data, and a new 30-minute alarm.
  const state = await waitUntil(
    () => objects.call<any>('SESSION', 'idle', 'peek'),
    (current) => Object.keys(current.data).length === 0,
  )
  expect(Date.now() - state.lastActivity).toBeLessThan(MINUTE)
  expect((await objects.call<number>('SESSION', 'idle', 'getAlarm')) - Date.now()).toBeGreaterThan(29 * MINUTE)
})

test('alarm(info) gets retryCount/isRetry; a throwing alarm commits nothing and is retried', async () => {
  await objects.call('FLAKY', 'f', 'scheduleAlarm', 10)
  const state = await waitUntil(
    () => objects.call<any>('FLAKY', 'f', 'read'),
    (current) => current.succeeded.length > 0,
  )
  // fired is 1, not 2: the failed attempt's increment was rolled back.
  expect(state).toEqual({ fired: 1, succeeded: [{ retryCount: 1, isRetry: true }] })
  expect(await objects.call('FLAKY', 'f', 'attempts')).toEqual([
    { retry_count: 0, is_retry: 0 },
    { retry_count: 1, is_retry: 1 },
  ])
})
