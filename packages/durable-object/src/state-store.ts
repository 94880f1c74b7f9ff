import { DurableObjectStateError } from './errors.js'
import { joinPath } from './json-data.js'

// One row per top-level key of the state, so a turn that changes one key writes one row and a
// state may exceed the per-value limit as long as each top-level value fits.
const CREATE_TABLES = `
  CREATE TABLE IF NOT EXISTS cloudwerk_state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS cloudwerk_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
`
const UPSERT = 'INSERT INTO cloudwerk_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'

/**
 * SQLite-backed storage rejects a string or row over 2 MB (workerd's own ceiling is a little
 * higher; staying under the documented limit keeps local and deployed behaviour the same).
 */
export const MAX_ROW_BYTES = 2 * 1024 * 1024

/** A top-level key serialized for a commit; `json: null` deletes the row. */
export interface StateRow {
  key: string
  json: string | null
}

const encoder = new TextEncoder()

/** Reads and writes the state rows. Every call is synchronous: it runs inside the output gate. */
export class StateStore {
  readonly #storage: DurableObjectStorage
  readonly #objectName: string

  constructor(storage: DurableObjectStorage, objectName: string) {
    this.#storage = storage
    this.#objectName = objectName
  }

  createTables(): void {
    this.#storage.sql.exec(CREATE_TABLES)
  }

  /** False until init's result has been stored: then the object has begun its life. */
  isInitialized(): boolean {
    return this.#storage.sql.exec("SELECT 1 FROM cloudwerk_meta WHERE name = 'initialized'").toArray().length > 0
  }

  /** `storage.deleteAll()` drops every table, ours included; a missing table means a wipe. */
  hasTables(): boolean {
    return this.#storage.sql.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'cloudwerk_state'").toArray().length > 0
  }

  readAll(): Record<string, unknown> {
    const state: Record<string, unknown> = {}
    for (const row of this.#storage.sql.exec<{ key: string; value: string }>('SELECT key, value FROM cloudwerk_state')) {
      // JSON.parse makes "__proto__" an own property, so stored keys never reach a prototype.
      Object.defineProperty(state, row.key, { value: this.#parse(row.key, row.value), writable: true, enumerable: true, configurable: true })
    }
    return state
  }

  /** The committed value of one key, or undefined when it is not stored. */
  readKey(key: string): unknown {
    const row = this.#storage.sql.exec<{ value: string }>('SELECT value FROM cloudwerk_state WHERE key = ?', key).toArray()[0]
    return row ? this.#parse(key, row.value) : undefined
  }

  /** Serializes one top-level value, refusing one that would not fit in a row. */
  serialize(key: string, value: unknown): StateRow {
    const json = JSON.stringify(value)
    // A UTF-16 unit is at most 3 UTF-8 bytes: short strings cannot be over the limit.
    const bytes = (key.length + json.length) * 3 <= MAX_ROW_BYTES ? 0 : encoder.encode(json).byteLength + encoder.encode(key).byteLength
    if (bytes > MAX_ROW_BYTES) {
      const path = joinPath('state', key)
      throw new DurableObjectStateError(
        `${this.#objectName}: ${path} is ${formatMegabytes(bytes)} as JSON, over the ${formatMegabytes(MAX_ROW_BYTES)} ` +
          'a single top-level key can hold (one SQLite row). Nothing was saved. Split it across several top-level ' +
          'keys (each is its own row), or keep bulk data in a ctx.sql table.',
        path,
      )
    }
    return { key, json }
  }

  /** Writes the rows in one transaction; with `initialized`, also marks the object's life begun. */
  write(rows: readonly StateRow[], options: { initialized?: boolean } = {}): void {
    const apply = () => {
      for (const { key, json } of rows) {
        if (json === null) this.#storage.sql.exec('DELETE FROM cloudwerk_state WHERE key = ?', key)
        else this.#storage.sql.exec(UPSERT, key, json)
      }
      if (options.initialized) {
        this.#storage.sql.exec("INSERT OR REPLACE INTO cloudwerk_meta (name, value) VALUES ('initialized', ?)", String(Date.now()))
      }
    }
    // A single statement is atomic already; a transaction only pays off for several.
    if (rows.length + (options.initialized ? 1 : 0) > 1) this.#storage.transactionSync(apply)
    else apply()
  }

  #parse(key: string, json: string): unknown {
    try {
      return JSON.parse(json)
    } catch (error) {
      const path = joinPath('state', key)
      throw new DurableObjectStateError(
        `${this.#objectName}: the stored value of ${path} is not valid JSON (${(error as Error).message}). ` +
          'The cloudwerk_state table is managed by Cloudwerk; do not write to it with ctx.sql.',
        path,
        { cause: error },
      )
    }
  }
}

function formatMegabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(2)} MB`
}
