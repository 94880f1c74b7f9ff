// When a declared schedule runs next: `every` intervals and 5-field cron expressions, in UTC or
// an IANA time zone. Pure functions (no storage, no clock of their own), unit-tested in Node.

/** A parsed `every` or `cron`: `next(after)` is the first run strictly after `after` (ms). */
export interface Recurrence {
  next(after: number): number
}

const UNITS: Record<string, number> = {
  ms: 1,
  millisecond: 1,
  s: 1000,
  sec: 1000,
  second: 1000,
  m: 60_000,
  min: 60_000,
  minute: 60_000,
  h: 3_600_000,
  hr: 3_600_000,
  hour: 3_600_000,
  d: 86_400_000,
  day: 86_400_000,
  w: 604_800_000,
  week: 604_800_000,
}

/**
 * Milliseconds in an `every`: a number of milliseconds, or text such as '30 minutes', '1 hour',
 * '90s', 'day'. Returns an error message instead when it cannot be read.
 */
export function parseEvery(every: unknown): number | string {
  if (typeof every === 'number') {
    return Number.isFinite(every) && every >= 1000 ? every : `${every} ms is not an interval of at least 1000 ms`
  }
  if (typeof every !== 'string') return 'it must be a string such as "30 minutes" or a number of milliseconds'
  const match = /^\s*(\d+(?:\.\d+)?)?\s*([a-z]+)\s*$/i.exec(every)
  const name = match?.[2].toLowerCase() ?? ''
  // Plurals: 'minutes' is 'minute', but 'ms' and 's' are units of their own.
  const unit = match && (UNITS[name] ?? UNITS[name.replace(/s$/, '')])
  if (!match || !unit) return `"${every}" is not an interval: write a number and a unit, e.g. "30 minutes", "1 hour", "10 seconds", "1 day"`
  const ms = Math.round(Number(match[1] ?? 1) * unit)
  return ms >= 1000 ? ms : `"${every}" is shorter than one second`
}

/**
 * A fixed interval, on the multiples of the interval since the Unix epoch ('30 minutes' runs at
 * :00 and :30 UTC): a restart or a deploy never shifts it, and missed periods collapse into one run.
 */
export function everyRecurrence(intervalMs: number): Recurrence {
  return { next: (after) => (Math.floor(after / intervalMs) + 1) * intervalMs }
}

interface CronFields {
  minutes: number[]
  hours: number[]
  days: Set<number>
  months: Set<number>
  weekdays: Set<number>
  /** Standard cron: when both day fields are restricted, a day matching either one runs. */
  dayOr: boolean
}

const MONTH_NAMES = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec']
const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat']
const MACROS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
}

/**
 * Parses a 5-field cron expression (minute hour day-of-month month day-of-week; `*`, lists,
 * ranges, steps, month and day names, 7 for Sunday, and @daily-style macros). Returns an error
 * message instead when it cannot be read.
 */
export function parseCron(expression: unknown): CronFields | string {
  if (typeof expression !== 'string') return 'it must be a string such as "0 9 * * *"'
  const text = MACROS[expression.trim().toLowerCase()] ?? expression
  const parts = text.trim().split(/\s+/)
  if (parts.length !== 5)
    return `"${expression}" has ${parts.length} fields; cron takes 5: minute hour day-of-month month day-of-week (e.g. "0 9 * * *")`
  const specs: Array<[string, number, number, string[]?]> = [
    ['minute', 0, 59],
    ['hour', 0, 23],
    ['day-of-month', 1, 31],
    ['month', 1, 12, MONTH_NAMES],
    ['day-of-week', 0, 7, DAY_NAMES],
  ]
  const values: number[][] = []
  for (const [index, [label, min, max, names]] of specs.entries()) {
    const field = parseField(parts[index], min, max, names)
    if (typeof field === 'string') return `"${expression}": the ${label} field "${parts[index]}" ${field}`
    values.push(field)
  }
  const weekdays = new Set(values[4].map((day) => day % 7))
  return {
    minutes: values[0],
    hours: values[1],
    days: new Set(values[2]),
    months: new Set(values[3]),
    weekdays,
    dayOr: parts[2] !== '*' && parts[4] !== '*',
  }
}

function parseField(field: string, min: number, max: number, names?: string[]): number[] | string {
  const found = new Set<number>()
  const value = (text: string) => {
    const index = names?.indexOf(text.toLowerCase()) ?? -1
    return index >= 0 ? index + (names === MONTH_NAMES ? 1 : 0) : /^\d+$/.test(text) ? Number(text) : NaN
  }
  for (const item of field.split(',')) {
    const match = /^(\*|([a-z0-9]+)(?:-([a-z0-9]+))?)(?:\/(\d+))?$/i.exec(item)
    if (!match) return `is not valid (use *, a number, a range a-b, a list a,b or a step */n)`
    const step = match[4] === undefined ? 1 : Number(match[4])
    const from = match[1] === '*' ? min : value(match[2])
    const to = match[1] === '*' ? max : match[3] !== undefined ? value(match[3]) : match[4] !== undefined ? max : from
    if (!(step >= 1) || Number.isNaN(from) || Number.isNaN(to) || from < min || to > max || from > to) {
      return `is out of range (${min}-${max}) or not a number`
    }
    for (let n = from; n <= to; n += step) found.add(n)
  }
  return [...found].sort((a, b) => a - b)
}

/** Checks that `timezone` names an IANA zone the runtime knows; returns an error message if not. */
export function checkTimezone(timezone: unknown): string | undefined {
  if (typeof timezone !== 'string') return 'it must be an IANA time zone name such as "Europe/Paris"'
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone })
    return undefined
  } catch {
    return `"${timezone}" is not a time zone this runtime knows (use an IANA name such as "Europe/Paris" or "America/New_York")`
  }
}

const DAY_MS = 86_400_000
/** Far enough for any expression that can happen at all (29 February comes within 8 years). */
const SEARCH_DAYS = 366 * 8

/** The cron expression's run times, read as wall-clock times in `timezone` (default UTC). */
export function cronRecurrence(fields: CronFields, timezone = 'UTC'): Recurrence {
  const zone = wallClock(timezone)
  const dayMatches = (year: number, month: number, day: number) => {
    if (!fields.months.has(month)) return false
    const weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay()
    const byDate = fields.days.has(day)
    const byWeekday = fields.weekdays.has(weekday)
    return fields.dayOr ? byDate || byWeekday : byDate && byWeekday
  }
  return {
    next(after) {
      const start = zone.fieldsOf(after)
      // Walk local calendar days (UTC arithmetic on the date only, so DST never skips a day).
      let date = Date.UTC(start.year, start.month - 1, start.day)
      for (let offset = 0; offset < SEARCH_DAYS; offset++, date += DAY_MS) {
        const day = new Date(date)
        const [year, month, dayOfMonth] = [day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate()]
        if (!dayMatches(year, month, dayOfMonth)) continue
        for (const hour of fields.hours) {
          if (offset === 0 && hour < start.hour - 1) continue
          for (const minute of fields.minutes) {
            const at = zone.toInstant(year, month, dayOfMonth, hour, minute)
            if (at > after) return at
          }
        }
      }
      return Number.NaN
    },
  }
}

interface WallFields {
  year: number
  month: number
  day: number
  hour: number
}

/** Converts between instants and wall-clock times in one zone. UTC needs no Intl at all. */
function wallClock(timezone: string) {
  if (timezone === 'UTC') {
    return {
      fieldsOf: (at: number): WallFields => {
        const d = new Date(at)
        return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours() }
      },
      toInstant: (year: number, month: number, day: number, hour: number, minute: number) => Date.UTC(year, month - 1, day, hour, minute),
    }
  }
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone: timezone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  })
  const partsOf = (at: number) => {
    const parts: Record<string, number> = {}
    for (const part of format.formatToParts(new Date(at))) if (part.type !== 'literal') parts[part.type] = Number(part.value)
    return parts
  }
  // The zone's offset at an instant: its wall clock read as if it were UTC, minus the instant.
  const offsetAt = (at: number) => {
    const p = partsOf(at)
    return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(at / 1000) * 1000
  }
  return {
    fieldsOf: (at: number): WallFields => {
      const p = partsOf(at)
      return { year: p.year, month: p.month, day: p.day, hour: p.hour }
    },
    toInstant(year: number, month: number, day: number, hour: number, minute: number) {
      const wall = Date.UTC(year, month - 1, day, hour, minute)
      // Two guesses of the offset around a DST change: keep the earliest that reads back as the
      // asked wall time. A wall time the change skips (02:30 when clocks jump from 02:00 to
      // 03:00) has none, and runs at the shifted time (03:30).
      const first = wall - offsetAt(wall)
      const second = wall - offsetAt(first)
      const exact = [first, second].filter((at) => at + offsetAt(at) === wall)
      return exact.length ? Math.min(...exact) : Math.max(first, second)
    },
  }
}
