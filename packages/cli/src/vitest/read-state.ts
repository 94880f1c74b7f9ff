// Runs inside workerd (test files under @cloudflare/vitest-pool-workers), so no node: imports.
import { runInDurableObject } from 'cloudflare:test'
import { decodeRows, STATE_ROWS } from '@cloudwerk/durable-object/shared/stored-state'

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
    return decodeRows(rows(STATE_ROWS.keys), rows(STATE_ROWS.items), rows(STATE_ROWS.chunks))
  })
}
