// How `this.state` lies in an object's SQLite tables, for the tools that read or edit it from
// outside the object: the dev server's state page and `readState` in pool-workers tests.
// state-store.ts writes these tables; this module is the one place outside it that knows their
// shape, beside it so the two change together. Pure data and language built-ins.

/** The queries whose rows `decodeRows` takes, each as `[key, value]` pairs. */
export const STATE_ROWS = {
  /** One row per top-level key. */
  keys: 'SELECT key, value FROM cloudwerk_state',
  /** A long array, one row per item, in order. */
  items: 'SELECT key, value FROM cloudwerk_items ORDER BY key, position',
  /** A value too large for one row: its JSON in consecutive chunks. */
  chunks: 'SELECT key, value FROM cloudwerk_chunks ORDER BY key, part',
} as const

/** Rows as the object reads them: a key is in exactly one of the three tables. */
export function decodeRows(keys: unknown[][], items: unknown[][], chunks: unknown[][] = []): Record<string, unknown> {
  const decoded: Record<string, unknown> = {}
  // Defined, not assigned: a stored key "__proto__" stays an own property, as the object reads it.
  const define = (key: unknown, value: unknown) => Object.defineProperty(decoded, String(key), { value, enumerable: true })
  for (const [key, value] of keys) define(key, JSON.parse(String(value)))
  for (const [key, value] of items) {
    if (!Object.hasOwn(decoded, String(key))) define(key, [])
    ;(decoded[String(key)] as unknown[]).push(JSON.parse(String(value)))
  }
  const joined = new Map<string, string>()
  for (const [key, value] of chunks) joined.set(String(key), (joined.get(String(key)) ?? '') + String(value))
  for (const [key, json] of joined) define(key, JSON.parse(json))
  return decoded
}

/**
 * The SQL that stores `value` under `key` as one row, which the object reads for any value (it
 * moves a long array to item rows, or a large value to chunks, on its next write). `hasChunks`:
 * whether the chunks table exists (an object last loaded before chunks has none).
 */
export function writeKey(key: string, value: unknown, hasChunks: boolean): Array<{ sql: string; params: unknown[] }> {
  return [
    { sql: 'DELETE FROM cloudwerk_items WHERE key = ?', params: [key] },
    ...(hasChunks ? [{ sql: 'DELETE FROM cloudwerk_chunks WHERE key = ?', params: [key] }] : []),
    {
      sql: 'INSERT INTO cloudwerk_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      params: [key, JSON.stringify(value)],
    },
  ]
}
