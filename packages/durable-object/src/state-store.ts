import { DurableObjectStateError } from './errors.js'
import { planItemWrites, planTail, type ItemWrites, type StoredItems } from './item-rows.js'
import { knownJson, rememberJson } from './item-json.js'
import { defineDataProperty, joinPath } from './json-data.js'
import { STATE_ROWS } from './shared/stored-state.js'
import { chunkLength, findOversizedLeaf, splitChunks } from './value-chunks.js'

// One row per top-level key of the state, so a turn that changes one key writes one row and a
// state may exceed the per-value limit as long as each top-level value fits. A long array is
// stored one row per item instead (cloudwerk_items, see item-rows.ts), so a push writes one row,
// not the array. Any other value that outgrows one row is stored as its JSON in chunks
// (cloudwerk_chunks, see value-chunks.ts). A key is in exactly one of the three tables.
const CREATE_TABLES = `
  CREATE TABLE IF NOT EXISTS cloudwerk_state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS cloudwerk_items (key TEXT NOT NULL, position REAL NOT NULL, value TEXT NOT NULL, PRIMARY KEY (key, position));
  CREATE TABLE IF NOT EXISTS cloudwerk_chunks (key TEXT NOT NULL, part INTEGER NOT NULL, value TEXT NOT NULL, PRIMARY KEY (key, part));
  CREATE TABLE IF NOT EXISTS cloudwerk_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
`
const UPSERT = 'INSERT INTO cloudwerk_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'
const UPSERT_ITEM =
  'INSERT INTO cloudwerk_items (key, position, value) VALUES (?, ?, ?) ON CONFLICT (key, position) DO UPDATE SET value = excluded.value'
const UPSERT_CHUNK =
  'INSERT INTO cloudwerk_chunks (key, part, value) VALUES (?, ?, ?) ON CONFLICT (key, part) DO UPDATE SET value = excluded.value'

/** Arrays at least this long are stored one row per item. */
export const ITEM_ROWS_FROM = 100

/**
 * SQLite-backed storage rejects a string or row over 2 MB (workerd's own ceiling is a little
 * higher; staying under the documented limit keeps local and deployed behaviour the same).
 */
export const MAX_ROW_BYTES = 2 * 1024 * 1024

/**
 * A top-level key serialized for a commit: its JSON (null deletes the key; stored in one row, or
 * in chunks when it does not fit one), or the item rows of a long array to write.
 */
export type StateRow = { key: string; json: string | null } | { key: string; items: ItemWrites }

const encoder = new TextEncoder()

/** Reads and writes the state rows. Every call is synchronous: it runs inside the output gate. */
export class StateStore {
  readonly #storage: DurableObjectStorage
  readonly #objectName: string
  /** The stored items of every array kept as item rows (what a commit compares against). */
  #storedItems = new Map<string, StoredItems>()
  /** The stored chunks of every value kept in chunks (a commit rewrites only those that differ). */
  #storedChunks = new Map<string, string[]>()

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

  readAll(): Record<string, unknown> {
    const state: Record<string, unknown> = {}
    for (const row of this.#storage.sql.exec<{ key: string; value: string }>(STATE_ROWS.keys)) {
      // Defined, not assigned: a stored key "__proto__" stays an own property, never a prototype.
      defineDataProperty(state, row.key, this.#parse(joinPath('state', row.key), row.value))
    }
    this.#storedItems = new Map()
    const rows = this.#storage.sql.exec<{ key: string; position: number; value: string }>(
      'SELECT key, position, value FROM cloudwerk_items ORDER BY key, position',
    )
    for (const row of rows) {
      let items = this.#storedItems.get(row.key)
      if (!items) this.#storedItems.set(row.key, (items = { json: [], at: [] }))
      items.json.push(row.value)
      items.at.push(row.position)
    }
    for (const [key, items] of this.#storedItems) defineDataProperty(state, key, this.#parseItems(key, items.json))
    this.#storedChunks = new Map()
    for (const row of this.#storage.sql.exec<{ key: string; value: string }>(STATE_ROWS.chunks)) {
      let chunks = this.#storedChunks.get(row.key)
      if (!chunks) this.#storedChunks.set(row.key, (chunks = []))
      chunks.push(row.value)
    }
    for (const [key, chunks] of this.#storedChunks) defineDataProperty(state, key, this.#parse(joinPath('state', key), chunks.join('')))
    return state
  }

  /** The committed value of one key, or undefined when it is not stored. */
  readKey(key: string): unknown {
    const items = this.#storedItems.get(key)
    if (items) return this.#parseItems(key, items.json)
    const chunks = this.#storedChunks.get(key)
    if (chunks) return this.#parse(joinPath('state', key), chunks.join(''))
    const row = this.#storage.sql.exec<{ value: string }>('SELECT value FROM cloudwerk_state WHERE key = ?', key).toArray()[0]
    return row ? this.#parse(joinPath('state', key), row.value) : undefined
  }

  /** The stored JSON of each item of `key`, when it is kept as item rows. */
  storedItems(key: string): readonly string[] | undefined {
    return this.#storedItems.get(key)?.json
  }

  /** After `storage.deleteAll()`: nothing is stored any more. */
  forgetAll(): void {
    this.#storedItems = new Map()
    this.#storedChunks = new Map()
  }

  /**
   * Serializes one top-level value, refusing one that would not fit in a row. For an array,
   * `droppedFront` stored items left its front, and `changedFrom` is the first item the turn may
   * have changed: the items before it are the stored ones from `droppedFront` on, kept as stored.
   *
   * An array is one row while it is short (under ITEM_ROWS_FROM items) and fits in one; a long one,
   * or one that outgrew the row (a few large messages), is stored one row per item, so it keeps
   * working at any size as long as each item fits. Any other value too large for a row is stored
   * in chunks (see write), as long as each string in it fits.
   */
  serialize(key: string, value: unknown, changedFrom = 0, droppedFront = 0): StateRow {
    if (!Array.isArray(value)) {
      const json = JSON.stringify(value)
      if (!fitsInRow(key, json)) {
        const leaf = findOversizedLeaf(value, joinPath('state', key), MAX_ROW_BYTES - byteLength(key))
        if (leaf) throw this.#tooLarge(leaf.path, key, leaf.json, 'a single value')
      }
      return { key, json }
    }
    const stored = this.#storedItems.get(key)
    if (value.length < ITEM_ROWS_FROM && !stored) {
      const json = JSON.stringify(value)
      if (fitsInRow(key, json)) return { key, json }
    }
    const front = stored ? Math.min(droppedFront, stored.json.length) : 0
    const same = stored ? Math.min(changedFrom, stored.json.length - front, value.length) : 0
    const tail = this.#serializeItems(key, value, same)
    // Items left the front, or the turn only added at the end: no need to compare the others. (An
    // insert in the middle is left to planItemWrites, which moves no row but the new one's.)
    if (stored && value.length >= ITEM_ROWS_FROM && (front > 0 || same === stored.json.length)) {
      const writes = planTail(stored, front, same, tail)
      if (writes) return { key, items: writes }
    }
    const items = stored ? [...stored.json.slice(front, front + same), ...tail] : tail
    if (value.length < ITEM_ROWS_FROM) {
      // Short again: back to one row, if it fits.
      const json = `[${items.join(',')}]`
      if (fitsInRow(key, json)) return { key, json }
    }
    return { key, items: planItemWrites(stored, items, front > 0 ? 0 : same) }
  }

  /**
   * The JSON of each item from `from` on (the turn may have changed them): the known one for an
   * object the turn did not change inside (item-json.ts: after a window, every item that
   * stayed), and a fresh one for the rest.
   */
  #serializeItems(key: string, value: unknown[], from: number): string[] {
    const items: string[] = []
    let path: string | undefined
    for (let index = from; index < value.length; index++) {
      const item = value[index]
      const isObject = typeof item === 'object' && item !== null
      let json = isObject ? knownJson(item) : undefined
      if (json === undefined) {
        path ??= joinPath('state', key)
        json = this.#checkSize(`${path}[${index}]`, key, JSON.stringify(item), 'an item')
        if (isObject) rememberJson(item, json)
      }
      items.push(json)
    }
    return items
  }

  #checkSize(path: string, key: string, json: string, what: 'an item'): string {
    if (!fitsInRow(key, json)) throw this.#tooLarge(path, key, json, what)
    return json
  }

  #tooLarge(path: string, key: string, json: string, what: 'an item' | 'a single value'): DurableObjectStateError {
    const bytes = byteLength(json) + byteLength(key)
    return new DurableObjectStateError(
      `${this.#objectName}: ${path} is ${formatMegabytes(bytes)} as JSON, over the ${formatMegabytes(MAX_ROW_BYTES)} ` +
        `${what} can hold (one SQLite row). Nothing was saved. Make ${what === 'an item' ? 'the item' : 'it'} smaller, ` +
        'or keep bulk data in a ctx.sql table.',
      path,
    )
  }

  /** Writes the rows in one transaction; with `initialized`, also marks the object's life begun. */
  write(rows: readonly StateRow[], options: { initialized?: boolean } = {}): void {
    const sql = this.#storage.sql
    // The chunks of each value too large for a row, cut before anything is written.
    const chunked = rows.map((row) =>
      'json' in row && row.json !== null && !fitsInRow(row.key, row.json)
        ? splitChunks(row.json, chunkLength(MAX_ROW_BYTES, row.key))
        : undefined,
    )
    const apply = () => {
      rows.forEach((row, index) => {
        const stored = this.#storedItems.get(row.key)
        const storedChunks = this.#storedChunks.get(row.key)
        // From chunks to another layout: the chunks go.
        if (storedChunks && !chunked[index]) sql.exec('DELETE FROM cloudwerk_chunks WHERE key = ?', row.key)
        if ('items' in row) {
          const { upserts, deleteRange, deleteAll } = row.items
          // From one row to item rows: the row goes.
          if (!stored) sql.exec('DELETE FROM cloudwerk_state WHERE key = ?', row.key)
          if (deleteAll) sql.exec('DELETE FROM cloudwerk_items WHERE key = ?', row.key)
          if (deleteRange) sql.exec('DELETE FROM cloudwerk_items WHERE key = ? AND position BETWEEN ? AND ?', row.key, ...deleteRange)
          for (const [position, json] of upserts) sql.exec(UPSERT_ITEM, row.key, position, json)
          return
        }
        if (stored) sql.exec('DELETE FROM cloudwerk_items WHERE key = ?', row.key)
        const chunks = chunked[index]
        if (chunks) this.#writeChunks(row.key, chunks, storedChunks)
        else if (row.json === null) sql.exec('DELETE FROM cloudwerk_state WHERE key = ?', row.key)
        else sql.exec(UPSERT, row.key, row.json)
      })
      if (options.initialized) {
        sql.exec("INSERT OR REPLACE INTO cloudwerk_meta (name, value) VALUES ('initialized', ?)", String(Date.now()))
      }
    }
    // A single statement is atomic already; a transaction only pays off for several (item rows
    // may take a delete and several writes).
    const several = rows.length + (options.initialized ? 1 : 0) > 1
    if (several || rows.some((row, index) => 'items' in row || chunked[index] || this.#storedChunks.has(row.key)))
      this.#storage.transactionSync(apply)
    else apply()
    // Stored: what the next commit compares against.
    rows.forEach((row, index) => {
      const stored = this.#storedItems.get(row.key)
      if ('items' in row && stored && row.items.applyTo) row.items.applyTo(stored)
      else if ('items' in row) this.#storedItems.set(row.key, row.items.next)
      else this.#storedItems.delete(row.key)
      const chunks = chunked[index]
      if (chunks) this.#storedChunks.set(row.key, chunks)
      else this.#storedChunks.delete(row.key)
    })
  }

  /** Writes the chunks of `key` that differ from the stored ones (see value-chunks.ts). */
  #writeChunks(key: string, chunks: string[], stored: string[] | undefined): void {
    const sql = this.#storage.sql
    // From one row to chunks: the row goes.
    if (!stored) sql.exec('DELETE FROM cloudwerk_state WHERE key = ?', key)
    chunks.forEach((chunk, part) => {
      if (stored?.[part] !== chunk) sql.exec(UPSERT_CHUNK, key, part, chunk)
    })
    if (stored && stored.length > chunks.length) sql.exec('DELETE FROM cloudwerk_chunks WHERE key = ? AND part >= ?', key, chunks.length)
  }

  /** The version of the stored state's shape: 1 when none was recorded (stored before versions). */
  readVersion(): number {
    const row = this.#storage.sql.exec<{ value: string }>("SELECT value FROM cloudwerk_meta WHERE name = 'version'").toArray()[0]
    return row ? Number(row.value) : 1
  }

  /**
   * Writes the rows and the state's version in one transaction: a migration (or a first state
   * at a version above 1) is stored whole or not at all.
   */
  writeMigration(rows: readonly StateRow[], version: number, options: { initialized?: boolean } = {}): void {
    this.#storage.transactionSync(() => {
      this.#storage.sql.exec("INSERT OR REPLACE INTO cloudwerk_meta (name, value) VALUES ('version', ?)", String(version))
      // Last, because it records what is stored once its writes are done.
      this.write(rows, options)
    })
  }

  /** Replaces everything stored with `state` at `version` (`app.seed` in tests). */
  writeSeed(state: Record<string, unknown>, version: number): void {
    this.#storage.transactionSync(() => {
      this.#storage.sql.exec('DELETE FROM cloudwerk_state; DELETE FROM cloudwerk_items; DELETE FROM cloudwerk_chunks')
      this.forgetAll()
      const rows = Object.keys(state).map((key) => this.serialize(key, state[key]))
      this.writeMigration(rows, version, { initialized: true })
    })
  }

  #parseItems(key: string, items: string[]): unknown[] {
    const path = joinPath('state', key)
    return items.map((json, index) => {
      const item = this.#parse(`${path}[${index}]`, json)
      // Read as it was written: the next commit reuses this JSON unless the item changes.
      if (typeof item === 'object' && item !== null) rememberJson(item, json)
      return item
    })
  }

  #parse(path: string, json: string): unknown {
    try {
      return JSON.parse(json)
    } catch (error) {
      throw new DurableObjectStateError(
        `${this.#objectName}: the stored value of ${path} is not valid JSON (${(error as Error).message}). ` +
          'The cloudwerk_state, cloudwerk_items and cloudwerk_chunks tables are managed by Cloudwerk; do not write to them with ctx.sql.',
        path,
        { cause: error },
      )
    }
  }
}

/** Whether `json` under `key` fits in one row (see MAX_ROW_BYTES). */
function fitsInRow(key: string, json: string): boolean {
  // A UTF-16 unit is at most 3 UTF-8 bytes: short strings cannot be over the limit.
  return (key.length + json.length) * 3 <= MAX_ROW_BYTES || byteLength(key) + byteLength(json) <= MAX_ROW_BYTES
}

function byteLength(text: string): number {
  return encoder.encode(text).byteLength
}

function formatMegabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(2)} MB`
}
