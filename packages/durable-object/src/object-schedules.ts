import type { DeclaredSchedule } from './declared-schedules.js'
import { DurableObjectError } from './errors.js'
import { copyJsonData } from './json-data.js'
import type { UserAlarm } from './object-context.js'
import { ScheduleTable, type ScheduleRow, type ScheduleRun } from './schedule-table.js'
import { suggestName } from './shared/suggest.js'
import { MAX_ROW_BYTES } from './state-store.js'
import { unwrapState } from './tracked-state.js'
import type { Turn } from './turn.js'
import type { ObjectSchedule, ScheduleEntry } from './types.js'

/** The key of the user's own alarm (ctx.storage.setAlarm): one more entry in the table. */
export const USER_ALARM_KEY = '#alarm'
/** A failing run is tried again this many times (as Cloudflare retries a failing alarm), then recorded as failed. */
export const MAX_RETRIES = 6
const FIRST_RETRY_MS = 2000

/**
 * An object's schedules: `this.schedule`, the declared `schedules`, and the user's own alarm,
 * all rows of one table, with the object's one native alarm kept at the earliest of them.
 *
 * A call's changes wait in memory (one map per call, so list() sees them) and are written among
 * the call's `writes`, in its commit's transaction; a call that throws drops them. A scheduled
 * run's outcome (removed, or moved to its next time, with a history entry) is written the same
 * way, first, so a run whose turn committed is never run again.
 */
export class ObjectSchedules {
  readonly table: ScheduleTable
  readonly #objectName: string
  readonly #storage: DurableObjectStorage
  readonly #methods: Record<string, unknown>
  readonly #declared: Map<string, DeclaredSchedule>
  /** Each call's `this.schedule`, and its changes not yet committed, by key (null: cancelled). */
  readonly #calls = new WeakMap<Turn, { api: ObjectSchedule; changes: Map<string, ScheduleRow | null> }>()
  /** What the native alarm is set to, as far as this instance knows (undefined: unknown). */
  #alarmAt: number | null | undefined

  constructor(objectName: string, storage: DurableObjectStorage, methods: Record<string, unknown>, declared: DeclaredSchedule[]) {
    this.#objectName = objectName
    this.#storage = storage
    this.#methods = methods
    this.#declared = new Map(declared.map((schedule) => [schedule.name, schedule]))
    this.table = new ScheduleTable(storage)
  }

  /** `this.schedule` in the call `turn`. */
  apiFor(turn: Turn): ObjectSchedule {
    let call = this.#calls.get(turn)
    if (!call) {
      const changes = new Map<string, ScheduleRow | null>()
      const api: ObjectSchedule = Object.freeze({
        at: (when, method, args, options) => this.#add(turn, changes, toTime(when, this.#objectName), method, args, options),
        after: (ms, method, args, options) =>
          this.#add(turn, changes, Date.now() + checkDelay(ms, this.#objectName), method, args, options),
        cancel: (key) => this.#cancel(turn, changes, key),
        list: () => this.list(changes),
      } satisfies ObjectSchedule)
      this.#calls.set(turn, (call = { api, changes }))
    }
    return call.api
  }

  /**
   * At every start: the declared schedules, by name, as the code says now. A new one is added,
   * one whose method or timing changed is redone from now, one no longer declared goes; an
   * unchanged one keeps its due time, so waking or deploying never adds or repeats a run.
   */
  async reconcile(now: number): Promise<void> {
    const existed = this.table.exists()
    this.table.createTables()
    this.#alarmAt = await this.#storage.getAlarm()
    // An alarm set before this object had a schedule table (older code set it natively): it was
    // the user's own, and stays theirs.
    if (!existed && this.#alarmAt !== null)
      this.table.put({ key: USER_ALARM_KEY, due: this.#alarmAt, method: 'alarm', args: '[]', kind: 'alarm', spec: null, attempts: 0 })
    const stored = this.table.declared()
    this.#storage.transactionSync(() => {
      for (const [name, row] of stored) if (!this.#declared.has(name)) this.table.remove(name)
      for (const schedule of this.#declared.values()) {
        const row = stored.get(schedule.name)
        if (row && row.spec === schedule.spec && row.method === schedule.method) continue
        this.table.put({
          key: schedule.name,
          due: schedule.recurrence.next(now),
          method: schedule.method,
          args: '[]',
          kind: schedule.kind,
          spec: schedule.spec,
          attempts: 0,
        })
      }
    })
    this.syncAlarm()
  }

  /** After `storage.deleteAll()`: the table is gone, and with it whatever was pending. */
  forgetAll(): void {
    this.#alarmAt = undefined
    void this.#storage.deleteAlarm()
  }

  /** Sets the native alarm to the earliest pending run, or clears it when nothing is pending. */
  syncAlarm(): void {
    const earliest = this.table.earliest()
    if (earliest === this.#alarmAt) return
    this.#alarmAt = earliest
    // Not awaited: the output gate holds the turn's reply until the write is durable. Should it
    // be lost, the next start sets it again from the table.
    void (earliest === null ? this.#storage.deleteAlarm() : this.#storage.setAlarm(earliest))
  }

  /**
   * The native alarm fired: workerd clears it when the handler returns unless it is set again.
   * Returns the time it was set for (undefined before the object loaded).
   */
  alarmFired(): number | null | undefined {
    const armedFor = this.#alarmAt
    this.#alarmAt = undefined
    return armedFor
  }

  /** Makes the call `turn` the run of `row`: when it commits, the run is done. */
  completeWith(turn: Turn, row: ScheduleRow, now: number): void {
    turn.writes.push(() => this.#finish(row, now, { ok: true }))
  }

  /** The run's turn threw: try again later with backoff, or record it as failed. */
  recordFailure(row: ScheduleRow, error: unknown, now: number, options: { final?: boolean } = {}): void {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error)
    this.#storage.transactionSync(() => {
      if (!options.final && row.attempts < MAX_RETRIES) {
        if (!this.#unchanged(row)) return
        this.table.put({ ...row, due: now + FIRST_RETRY_MS * 2 ** row.attempts, attempts: row.attempts + 1 })
        this.table.record({ key: row.key, method: row.method, at: now, ok: false, error: message, attempt: row.attempts, final: false })
        return
      }
      this.#finish(row, now, { ok: false, error: message })
    })
    this.syncAlarm()
  }

  /** Removes a finished one-off run, or moves a recurring one to its next time after `now`. */
  #finish(row: ScheduleRow, now: number, outcome: { ok: boolean; error?: string }): void {
    this.table.record({ key: row.key, method: row.method, at: now, ...outcome, attempt: row.attempts, final: true })
    // Only the run that was taken: a change made meanwhile (or by this very turn) stands.
    if (!this.#unchanged(row)) return
    const declared = row.kind === 'every' || row.kind === 'cron' ? this.#declared.get(row.key) : undefined
    if (declared) this.table.put({ ...row, due: declared.recurrence.next(Math.max(now, row.due)), attempts: 0 })
    else this.table.remove(row.key)
  }

  #unchanged(row: ScheduleRow): boolean {
    const current = this.table.get(row.key)
    return current !== undefined && current.due === row.due && current.method === row.method && current.args === row.args
  }

  /**
   * What ctx.storage.setAlarm/getAlarm/deleteAlarm do: the user's alarm is one entry of the
   * table, written at once (not part of the turn), as the platform's alarm is.
   */
  userAlarm(hasHandler: boolean): UserAlarm {
    return {
      set: (time) => {
        if (!hasHandler) {
          throw new DurableObjectError(
            `${this.#objectName}: ctx.storage.setAlarm() needs an alarm() handler to call. Add alarm(info) { ... } to the definition, ` +
              'or run a method later with this.schedule.after(ms, "method").',
          )
        }
        this.setUserAlarm(time)
      },
      get: () => this.userAlarmTime(),
      delete: () => this.deleteUserAlarm(),
    }
  }

  setUserAlarm(time: number): void {
    this.table.createTables()
    this.table.put({ key: USER_ALARM_KEY, due: time, method: 'alarm', args: '[]', kind: 'alarm', spec: null, attempts: 0 })
    this.syncAlarm()
  }

  userAlarmTime(): number | null {
    this.table.createTables()
    return this.table.get(USER_ALARM_KEY)?.due ?? null
  }

  deleteUserAlarm(): void {
    this.table.createTables()
    this.table.remove(USER_ALARM_KEY)
    this.syncAlarm()
  }

  /** Every schedule, pending ones first (earliest first), then finished ones with their last runs. */
  list(changes?: Map<string, ScheduleRow | null>): ScheduleEntry[] {
    const pending = new Map(this.table.all().map((row) => [row.key, row]))
    for (const [key, row] of changes ?? []) {
      if (row) pending.set(key, row)
      else pending.delete(key)
    }
    const runs = this.table.runs()
    const entries = [...pending.values()]
      .sort((a, b) => a.due - b.due || (a.key < b.key ? -1 : 1))
      .map((row) => toEntry(row, runs.get(row.key) ?? []))
    for (const [key, history] of runs) {
      if (pending.has(key)) continue
      entries.push({
        key,
        method: history[0].method,
        args: [],
        due: null,
        status: history[0].ok ? 'done' : 'failed',
        attempts: history[0].attempt,
        runs: history.map(toRunEntry),
      })
    }
    return entries
  }

  #add(
    turn: Turn,
    changes: Map<string, ScheduleRow | null>,
    due: number,
    method: unknown,
    args: unknown,
    options: { key?: string } | undefined,
  ): string {
    this.#checkInside(turn)
    if (typeof method !== 'string' || typeof this.#methods[method] !== 'function') {
      const hint = typeof method === 'string' ? suggestName(method, Object.keys(this.#methods)) : undefined
      throw new DurableObjectError(
        `${this.#objectName}: this.schedule cannot run ${JSON.stringify(method)}: it is not a method of this object` +
          `${hint ? ` (did you mean "${hint}"?)` : ''}. Name a method from \`methods\`: ${Object.keys(this.#methods).join(', ') || '(none)'}.`,
      )
    }
    if (args !== undefined && !Array.isArray(args)) {
      throw new DurableObjectError(
        `${this.#objectName}: this.schedule: the arguments of ${method} must be an array, e.g. this.schedule.after(60_000, '${method}', [userId]).`,
      )
    }
    const json = JSON.stringify(copyJsonData(args ?? [], 'args', unwrapState, this.#objectName))
    const bytes = new TextEncoder().encode(json).byteLength
    if (bytes > MAX_ROW_BYTES - 1024) {
      throw new DurableObjectError(
        `${this.#objectName}: this.schedule: the arguments of ${method} are ${(bytes / (1024 * 1024)).toFixed(2)} MB as JSON, over ` +
          `what one schedule row can hold (2 MB). Pass an id instead (e.g. [reportId]) and keep the data in this.state or a ctx.sql table.`,
      )
    }
    const key = options?.key ?? `#${crypto.randomUUID()}`
    if (options?.key !== undefined) this.#checkKey(options.key)
    this.#change(turn, changes, key, { key, due, method, args: json, kind: 'once', spec: null, attempts: 0 })
    return key
  }

  #cancel(turn: Turn, changes: Map<string, ScheduleRow | null>, key: string): boolean {
    this.#checkInside(turn)
    this.#checkKey(key)
    const pending = changes.has(key) ? changes.get(key) !== null : this.table.get(key) !== undefined
    this.#change(turn, changes, key, null)
    return pending
  }

  /** The first change since the call last committed adds the write that stores them all. */
  #change(turn: Turn, changes: Map<string, ScheduleRow | null>, key: string, row: ScheduleRow | null): void {
    if (changes.size === 0) {
      turn.writes.push(() => {
        for (const [changed, next] of changes) {
          if (next) this.table.put(next)
          else this.table.remove(changed)
        }
        changes.clear()
      })
    }
    changes.set(key, row)
  }

  #checkInside(turn: Turn): void {
    if (turn.phase === 'inside') return
    throw new DurableObjectError(
      `${this.#objectName}: this.schedule cannot change while the call is outside (in the work given to this.outside): ` +
        'nothing there is committed. Schedule before this.outside(...) or after it returns.',
    )
  }

  #checkKey(key: unknown): void {
    if (typeof key !== 'string' || key === '' || key.startsWith('#')) {
      throw new DurableObjectError(
        `${this.#objectName}: this.schedule: a key must be a non-empty string not starting with "#" (got ${JSON.stringify(key)}), e.g. { key: \`remind:\${user}\` }.`,
      )
    }
    if (this.#declared.has(key)) {
      throw new DurableObjectError(
        `${this.#objectName}: this.schedule: "${key}" is the name of a declared schedule (in \`schedules\`); declared schedules change with the code. Use another key.`,
      )
    }
  }
}

function toEntry(row: ScheduleRow, runs: ScheduleRun[]): ScheduleEntry {
  const entry: ScheduleEntry = {
    key: row.key,
    method: row.method,
    args: JSON.parse(row.args) as unknown[],
    due: row.due,
    status: row.attempts > 0 ? 'retrying' : 'pending',
    attempts: row.attempts,
    runs: runs.map(toRunEntry),
  }
  if (row.spec?.startsWith('every ')) entry.every = Number(row.spec.slice('every '.length))
  if (row.spec?.startsWith('cron ')) {
    const fields = row.spec.slice('cron '.length).split(' ')
    entry.timezone = fields.pop()
    entry.cron = fields.join(' ')
  }
  return entry
}

function toRunEntry(run: ScheduleRun): ScheduleEntry['runs'][number] {
  return run.error === undefined
    ? { at: run.at, ok: run.ok, attempt: run.attempt }
    : { at: run.at, ok: run.ok, error: run.error, attempt: run.attempt }
}

function toTime(when: unknown, objectName: string): number {
  const time = when instanceof Date ? when.getTime() : when
  if (typeof time !== 'number' || !Number.isFinite(time)) {
    throw new DurableObjectError(`${objectName}: this.schedule.at needs a Date or milliseconds since the epoch, got ${String(when)}.`)
  }
  return time
}

function checkDelay(ms: unknown, objectName: string): number {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
    throw new DurableObjectError(`${objectName}: this.schedule.after needs a delay in milliseconds (0 or more), got ${String(ms)}.`)
  }
  return ms
}
