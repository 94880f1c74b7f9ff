// Runs inside workerd (test files under @cloudflare/vitest-pool-workers), so no node: imports.
import { runInDurableObject } from 'cloudflare:test'
import { CHUNK_ROWS, decodeRows } from '../dev/state-view.js'

/**
 * An object's `this.state` as it is stored, decoded by key (what its next call would load).
 *
 * @example
 * const stub = env.COUNTER.getByName('a')
 * await stub.increment(2)
 * expect(await readState(stub)).toMatchObject({ value: 2 })
 */
export function readState(stub: unknown): Promise<Record<string, unknown>> {
  return runInDurableObject(stub, (_instance, ctx) => {
    const rows = (sql: string) => {
      try {
        return ctx.storage.sql
          .exec(sql)
          .toArray()
          .map((row) => [row.key, row.value])
      } catch {
        return [] // an object that never stored state has no tables
      }
    }
    return decodeRows(
      rows('SELECT key, value FROM cloudwerk_state'),
      rows('SELECT key, value FROM cloudwerk_items ORDER BY key, position'),
      rows(CHUNK_ROWS),
    )
  })
}
