// The schedule table: one row per pending run, indexed by due time, so adding, cancelling and
// finding the next due run each cost one index lookup however many are pending. Beside it, a
// short history of finished runs. Every call is synchronous, so a turn's schedule changes can
// be written in the same transaction as its state rows.
const CREATE_TABLES = `
  CREATE TABLE IF NOT EXISTS cloudwerk_schedules (
    key TEXT PRIMARY KEY, due INTEGER NOT NULL, method TEXT NOT NULL, args TEXT NOT NULL,
    kind TEXT NOT NULL, spec TEXT, attempts INTEGER NOT NULL DEFAULT 0);
  CREATE INDEX IF NOT EXISTS cloudwerk_schedules_by_due ON cloudwerk_schedules (due);
  CREATE TABLE IF NOT EXISTS cloudwerk_schedule_runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT NOT NULL, method TEXT NOT NULL, at INTEGER NOT NULL,
    ok INTEGER NOT NULL, error TEXT, attempt INTEGER NOT NULL, final INTEGER NOT NULL);
  CREATE INDEX IF NOT EXISTS cloudwerk_schedule_runs_by_key ON cloudwerk_schedule_runs (key, id);
`
const UPSERT =
  'INSERT INTO cloudwerk_schedules (key, due, method, args, kind, spec, attempts) VALUES (?, ?, ?, ?, ?, ?, ?) ' +
  'ON CONFLICT (key) DO UPDATE SET due = excluded.due, method = excluded.method, args = excluded.args, ' +
  'kind = excluded.kind, spec = excluded.spec, attempts = excluded.attempts'

/** Runs kept per schedule in the history, and in the whole history. */
const RUNS_PER_KEY = 5
const RUNS_KEPT = 1000

export type ScheduleKind = 'once' | 'every' | 'cron' | 'alarm'

export interface ScheduleRow {
  key: string
  due: number
  method: string
  /** The arguments as JSON. */
  args: string
  kind: ScheduleKind
  /** For declared schedules: what decides their times ('every 1800000', 'cron 0 9 * * * UTC'). */
  spec: string | null
  /** Failed attempts of the current run. */
  attempts: number
}

export interface ScheduleRun {
  key: string
  method: string
  at: number
  ok: boolean
  error?: string
  attempt: number
  /** The run will not be tried again (it succeeded, or it failed its last attempt). */
  final: boolean
}

export class ScheduleTable {
  readonly #sql: SqlStorage

  constructor(storage: DurableObjectStorage) {
    this.#sql = storage.sql
  }

  exists(): boolean {
    return this.#sql.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'cloudwerk_schedules'").toArray().length > 0
  }

  createTables(): void {
    this.#sql.exec(CREATE_TABLES)
  }

  put(row: ScheduleRow): void {
    this.#sql.exec(UPSERT, row.key, row.due, row.method, row.args, row.kind, row.spec, row.attempts)
  }

  remove(key: string): void {
    this.#sql.exec('DELETE FROM cloudwerk_schedules WHERE key = ?', key)
  }

  get(key: string): ScheduleRow | undefined {
    return this.#sql
      .exec<ScheduleRow & Record<string, SqlStorageValue>>('SELECT * FROM cloudwerk_schedules WHERE key = ?', key)
      .toArray()[0]
  }

  /** The earliest due run not in `skip` (runs already taken in this sweep), if one is due at `now`. */
  nextDue(now: number, skip: ReadonlySet<string>): ScheduleRow | undefined {
    const rows = this.#sql.exec<ScheduleRow & Record<string, SqlStorageValue>>(
      'SELECT * FROM cloudwerk_schedules WHERE due <= ? ORDER BY due, key LIMIT ?',
      now,
      skip.size + 1,
    )
    for (const row of rows) if (!skip.has(row.key)) return row
    return undefined
  }

  /** When the next run is due, or null when nothing is pending. */
  earliest(): number | null {
    const row = this.#sql.exec<{ due: number | null }>('SELECT MIN(due) AS due FROM cloudwerk_schedules').one()
    return row.due ?? null
  }

  /** Every pending run, earliest first. */
  all(): ScheduleRow[] {
    return this.#sql.exec<ScheduleRow & Record<string, SqlStorageValue>>('SELECT * FROM cloudwerk_schedules ORDER BY due, key').toArray()
  }

  /** Every declared (recurring) schedule, by name. */
  declared(): Map<string, ScheduleRow> {
    const rows = this.#sql.exec<ScheduleRow & Record<string, SqlStorageValue>>(
      "SELECT * FROM cloudwerk_schedules WHERE kind IN ('every', 'cron')",
    )
    return new Map([...rows].map((row) => [row.key, row]))
  }

  /** Records a finished attempt, keeping the last few per schedule and a bounded history overall. */
  record(run: ScheduleRun): void {
    this.#sql.exec(
      'INSERT INTO cloudwerk_schedule_runs (key, method, at, ok, error, attempt, final) VALUES (?, ?, ?, ?, ?, ?, ?)',
      run.key,
      run.method,
      run.at,
      run.ok ? 1 : 0,
      run.error ?? null,
      run.attempt,
      run.final ? 1 : 0,
    )
    this.#sql.exec(
      'DELETE FROM cloudwerk_schedule_runs WHERE key = ? AND id <= (SELECT id FROM cloudwerk_schedule_runs WHERE key = ? ORDER BY id DESC LIMIT 1 OFFSET ?)',
      run.key,
      run.key,
      RUNS_PER_KEY,
    )
    this.#sql.exec('DELETE FROM cloudwerk_schedule_runs WHERE id <= (SELECT MAX(id) FROM cloudwerk_schedule_runs) - ?', RUNS_KEPT)
  }

  /** The history, newest first, grouped by schedule key. */
  runs(): Map<string, ScheduleRun[]> {
    const byKey = new Map<string, ScheduleRun[]>()
    const rows = this.#sql.exec<Record<string, SqlStorageValue>>(
      'SELECT key, method, at, ok, error, attempt, final FROM cloudwerk_schedule_runs ORDER BY id DESC',
    )
    for (const row of rows) {
      const run: ScheduleRun = {
        key: String(row.key),
        method: String(row.method),
        at: Number(row.at),
        ok: row.ok === 1,
        attempt: Number(row.attempt),
        final: row.final === 1,
      }
      if (row.error !== null) run.error = String(row.error)
      let list = byKey.get(run.key)
      if (!list) byKey.set(run.key, (list = []))
      list.push(run)
    }
    return byKey
  }
}
