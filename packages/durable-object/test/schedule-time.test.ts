// The schedule clock (src/schedule-time.ts): intervals and cron, in UTC and in time zones.
// How runs behave in workerd is in schedules.test.ts.
import { describe, expect, test } from 'vitest'
import { checkTimezone, cronRecurrence, everyRecurrence, parseCron, parseEvery } from '../src/schedule-time'

const at = (iso: string) => Date.parse(iso)
const iso = (ms: number) => new Date(ms).toISOString()

function nextRuns(expression: string, from: string, count: number, timezone?: string): string[] {
  const fields = parseCron(expression)
  if (typeof fields === 'string') throw new Error(fields)
  const recurrence = cronRecurrence(fields, timezone)
  const runs: string[] = []
  for (let time = at(from); runs.length < count;) runs.push(iso((time = recurrence.next(time))))
  return runs
}

describe('parseEvery', () => {
  test.each([
    ['30 minutes', 1_800_000],
    ['1 hour', 3_600_000],
    ['2 hours', 7_200_000],
    ['10 seconds', 10_000],
    ['90s', 90_000],
    ['5m', 300_000],
    ['day', 86_400_000],
    ['1.5 hours', 5_400_000],
    [60_000, 60_000],
  ])('%s is %d ms', (text, ms) => expect(parseEvery(text)).toBe(ms))

  test.each([['soon'], ['30 fortnights'], ['10 ms'], [500], [null], ['']])('%s is refused with the reason', (text) => {
    expect(typeof parseEvery(text)).toBe('string')
  })
})

test('every runs on the multiples of its interval, and missed periods collapse into one run', () => {
  const halfHourly = everyRecurrence(1_800_000)
  expect(iso(halfHourly.next(at('2026-01-01T10:12:00Z')))).toBe('2026-01-01T10:30:00.000Z')
  expect(iso(halfHourly.next(at('2026-01-01T10:30:00Z')))).toBe('2026-01-01T11:00:00.000Z')
  // Down for a day: the next run is the next half hour, not 48 catch-up runs.
  expect(iso(halfHourly.next(at('2026-01-02T10:31:00Z')))).toBe('2026-01-02T11:00:00.000Z')
})

describe('cron', () => {
  test('daily at 9:00 UTC', () => {
    expect(nextRuns('0 9 * * *', '2026-03-10T08:59:00Z', 2)).toEqual(['2026-03-10T09:00:00.000Z', '2026-03-11T09:00:00.000Z'])
    expect(nextRuns('0 9 * * *', '2026-03-10T09:00:00Z', 1)).toEqual(['2026-03-11T09:00:00.000Z'])
  })

  test('steps, ranges, lists and names', () => {
    expect(nextRuns('*/15 * * * *', '2026-03-10T08:50:00Z', 3)).toEqual([
      '2026-03-10T09:00:00.000Z',
      '2026-03-10T09:15:00.000Z',
      '2026-03-10T09:30:00.000Z',
    ])
    // Weekdays at 8:30 and 17:30: Friday 17:30, then Monday 8:30.
    expect(nextRuns('30 8,17 * * mon-fri', '2026-03-13T12:00:00Z', 2)).toEqual(['2026-03-13T17:30:00.000Z', '2026-03-16T08:30:00.000Z'])
    expect(nextRuns('0 0 1 jan,jul *', '2026-03-01T00:00:00Z', 2)).toEqual(['2026-07-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z'])
    expect(nextRuns('0 12 * * 7', '2026-03-10T00:00:00Z', 1)).toEqual(['2026-03-15T12:00:00.000Z'])
    expect(nextRuns('@hourly', '2026-03-10T08:10:00Z', 1)).toEqual(['2026-03-10T09:00:00.000Z'])
  })

  test('with both day fields restricted, a day matching either runs (standard cron)', () => {
    // The 13th, or any Friday: Fri 6 March, Fri 13 March... from 2026-03-01 (a Sunday).
    expect(nextRuns('0 0 13 * 5', '2026-03-01T00:00:00Z', 3)).toEqual([
      '2026-03-06T00:00:00.000Z',
      '2026-03-13T00:00:00.000Z',
      '2026-03-20T00:00:00.000Z',
    ])
  })

  test('29 February comes once every four years', () => {
    expect(nextRuns('0 0 29 2 *', '2026-03-01T00:00:00Z', 1)).toEqual(['2028-02-29T00:00:00.000Z'])
  })

  test('a time zone reads the fields as its wall clock, across DST changes', () => {
    // 9:00 in Paris is 8:00 UTC in winter and 7:00 UTC in summer (clocks moved on 29 March 2026).
    expect(nextRuns('0 9 * * *', '2026-03-28T00:00:00Z', 2, 'Europe/Paris')).toEqual([
      '2026-03-28T08:00:00.000Z',
      '2026-03-29T07:00:00.000Z',
    ])
    expect(nextRuns('0 9 * * *', '2026-03-10T00:00:00Z', 1, 'America/New_York')).toEqual(['2026-03-10T13:00:00.000Z'])
    // 2:30 does not exist in Paris on 29 March 2026: it runs at the shifted time, 3:30 (01:30 UTC).
    expect(nextRuns('30 2 * * *', '2026-03-28T12:00:00Z', 2, 'Europe/Paris')).toEqual([
      '2026-03-29T01:30:00.000Z',
      '2026-03-30T00:30:00.000Z',
    ])
    // 2:30 happens twice on 25 October 2026: it runs once (the second time, 01:30 UTC).
    expect(nextRuns('30 2 * * *', '2026-10-24T12:00:00Z', 2, 'Europe/Paris')).toEqual([
      '2026-10-25T01:30:00.000Z',
      '2026-10-26T01:30:00.000Z',
    ])
  })

  test.each([
    ['0 9 * *', /has 4 fields/],
    ['60 * * * *', /minute field "60" is out of range/],
    ['0 9 * * funday', /day-of-week field/],
    ['*/0 * * * *', /minute field/],
    ['5-1 * * * *', /minute field/],
  ])('%s is refused: %s', (expression, message) => {
    expect(parseCron(expression)).toMatch(message)
  })

  test('a date that never comes has no next run', () => {
    const fields = parseCron('0 0 31 2 *')
    if (typeof fields === 'string') throw new Error(fields)
    expect(cronRecurrence(fields).next(at('2026-01-01T00:00:00Z'))).toBeNaN()
  })
})

test('time zones are checked against the runtime', () => {
  expect(checkTimezone('Europe/Paris')).toBeUndefined()
  expect(checkTimezone('Mars/Olympus')).toMatch(/"Mars\/Olympus" is not a time zone/)
})
