import { checkTimezone, cronRecurrence, everyRecurrence, parseCron, parseEvery, type Recurrence } from './schedule-time.js'

/** A `schedules` entry, read: what the runtime keeps in the schedule table under its name. */
export interface DeclaredSchedule {
  name: string
  method: string
  /** What decides the run times, as text: a change of it (or of `method`) is a redeclaration. */
  spec: string
  kind: 'every' | 'cron'
  recurrence: Recurrence
}

/**
 * Reads the definition's `schedules` into run times. Returns the schedules, or the first problem
 * as `{ problem, fix }` for the definition check to report (it runs first, so the runtime only
 * ever reads valid declarations).
 */
export function readDeclaredSchedules(
  schedules: unknown,
  methods: Record<string, unknown>,
): DeclaredSchedule[] | { problem: string; fix: string } {
  if (schedules === undefined) return []
  const example = "schedules: { sweep: { every: '30 minutes', run: 'sweep' }, digest: { cron: '0 9 * * *', run: 'sendDigest' } }"
  if (schedules === null || typeof schedules !== 'object' || Array.isArray(schedules)) {
    return { problem: '`schedules` must be an object of named schedules', fix: `write ${example}` }
  }
  const declared: DeclaredSchedule[] = []
  for (const [name, entry] of Object.entries(schedules)) {
    const where = `schedule \`${name}\``
    if (name.startsWith('#') || name === '')
      return { problem: `${where}: a name must not be empty or start with "#" (reserved)`, fix: 'rename it' }
    if (entry === null || typeof entry !== 'object')
      return { problem: `${where} must be an object`, fix: `write ${name}: { every: '30 minutes', run: 'methodName' }` }
    const { every, cron, run, timezone, ...rest } = entry as Record<string, unknown>
    const unknown = Object.keys(rest)[0]
    if (unknown) return { problem: `${where} has an unknown option \`${unknown}\``, fix: 'the options are every, cron, run and timezone' }
    if (typeof run !== 'string' || typeof methods[run] !== 'function') {
      const names = Object.keys(methods)
      return {
        problem: `${where} runs ${typeof run === 'string' ? `\`${run}\`, which is not in \`methods\`` : 'no method (`run` is missing)'}`,
        fix: `set run to the name of a method${names.length ? ` (${names.join(', ')})` : ', and add that method to `methods`'}`,
      }
    }
    if ((every === undefined) === (cron === undefined)) {
      return { problem: `${where} needs exactly one of \`every\` and \`cron\``, fix: `write every: '30 minutes' or cron: '0 9 * * *'` }
    }
    if (every !== undefined) {
      if (timezone !== undefined) return { problem: `${where}: \`timezone\` only applies to \`cron\``, fix: 'remove it, or use cron' }
      const ms = parseEvery(every)
      if (typeof ms === 'string') return { problem: `${where}: every: ${ms}`, fix: "write e.g. every: '30 minutes'" }
      declared.push({ name, method: run, kind: 'every', spec: `every ${ms}`, recurrence: everyRecurrence(ms) })
      continue
    }
    const fields = parseCron(cron)
    if (typeof fields === 'string') return { problem: `${where}: cron: ${fields}`, fix: "write e.g. cron: '0 9 * * *' (9:00 every day)" }
    const zoneProblem = timezone === undefined ? undefined : checkTimezone(timezone)
    if (zoneProblem) return { problem: `${where}: timezone: ${zoneProblem}`, fix: 'use an IANA time zone name, or leave it out for UTC' }
    const recurrence = cronRecurrence(fields, (timezone as string | undefined) ?? 'UTC')
    if (Number.isNaN(recurrence.next(Date.now())))
      return { problem: `${where}: cron "${cron}" never runs (no such date)`, fix: 'check the day-of-month and month fields' }
    declared.push({ name, method: run, kind: 'cron', spec: `cron ${cron} ${timezone ?? 'UTC'}`, recurrence })
  }
  return declared
}
