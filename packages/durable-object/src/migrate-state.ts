import { DurableObjectStateError } from './errors.js'
import { forgetJson } from './item-json.js'
import { copyJsonData, defineDataProperty, joinPath } from './json-data.js'
import { ITEM_ROWS_FROM, type StateRow, type StateStore } from './state-store.js'
import { unwrapState } from './tracked-state.js'
import type { StateSchema } from './types.js'
import { validateState } from './validate-state.js'

/** What a migration needs from the definition (validate-definition checked the steps). */
export interface Versioning {
  version?: number
  migrate?: Record<number, (old: unknown) => unknown>
  schema?: StateSchema<unknown>
}

/**
 * Brings a state stored at version `from` up to the definition's version: runs the steps in
 * order, validates the result, and writes it with the new version in one transaction. Only the
 * keys whose value changed are written (and, in a long array, only the items that changed), so
 * a step that touches one key costs one row however large the state is.
 *
 * Anything that fails (a step throws, returns no object or no JSON data, the schema refuses the
 * result) writes nothing: the stored state stays at `from` and the next load tries again.
 */
export async function migrateState(
  objectName: string,
  definition: Versioning,
  store: StateStore,
  stored: Record<string, unknown>,
  from: number,
): Promise<Record<string, unknown>> {
  const to = definition.version ?? 1
  if (from > to) {
    throw new DurableObjectStateError(
      `${objectName}: the stored state is at version ${from}, newer than this code's version ${to} (it was written by a later deploy). ` +
        `It is never migrated down or overwritten, so every call fails until code at version ${from} or later is deployed again.`,
      'state',
    )
  }
  // The stored JSON of every key kept in one row, taken before a step can change the values.
  const before = new Map<string, string>()
  for (const key of Object.keys(stored)) {
    const value = stored[key]
    if (!isLongArray(value)) before.set(key, JSON.stringify(value))
    // Steps change items directly, not through the state proxies that keep remembered JSON
    // valid: forget it, so every item is compared as the steps left it.
    if (Array.isArray(value)) for (const item of value) if (typeof item === 'object' && item !== null) forgetJson(item)
  }
  let state: unknown = stored
  let step = from
  try {
    for (step = from + 1; step <= to; step++) {
      state = await definition.migrate![step](state)
      if (
        state === null ||
        typeof state !== 'object' ||
        Array.isArray(state) ||
        ![Object.prototype, null].includes(Object.getPrototypeOf(state))
      ) {
        const got = Array.isArray(state) ? 'an array' : String(state)
        throw new DurableObjectStateError(`${objectName}: migrate[${step}] returned ${got} instead of the state as a plain object`, 'state')
      }
    }
    step = to
    const { next, rows } = planWrites(objectName, store, before, stored, state as Record<string, unknown>)
    validateState(objectName, definition.schema, next, 'migrate')
    store.writeMigration(rows, to)
    return next
  } catch (error) {
    const problem = error instanceof Error ? error.message : String(error)
    const detail = problem.startsWith(`${objectName}: `) ? problem.slice(objectName.length + 2) : `migrate[${step}] threw: ${problem}`
    throw new DurableObjectStateError(
      `${objectName}: migrating the stored state from version ${from} to ${to} failed at step ${step - 1} -> ${step}: ${detail.replace(/\.?\s*$/, '.')} ` +
        `Nothing was written: the object keeps its version ${from} state, and the next call tries again. Fix migrate[${step}] (or the schema) and deploy.`,
      error instanceof DurableObjectStateError ? error.path : 'state',
      { cause: error },
    )
  }
}

/**
 * The migrated state and the rows that differ from the stored ones. A key whose JSON is the
 * stored one keeps its stored value, parsed again (so nothing the steps returned is shared, and
 * a long array is not walked twice); any other is copied and checked to be JSON data.
 */
function planWrites(
  objectName: string,
  store: StateStore,
  before: Map<string, string>,
  stored: Record<string, unknown>,
  result: Record<string, unknown>,
) {
  const next: Record<string, unknown> = {}
  const rows: StateRow[] = []
  for (const key of Object.keys(result)) {
    let row: StateRow | undefined
    try {
      row = store.serialize(key, result[key])
    } catch {
      // Not JSON data (a function, a BigInt, a cycle): the copy below says where.
    }
    if (row && ('json' in row ? row.json !== undefined && before.get(key) === row.json : isUnchanged(row.items))) {
      defineDataProperty(next, key, 'json' in row ? JSON.parse(row.json!) : store.readKey(key))
      continue
    }
    const value = copyJsonData(result[key], joinPath('state', key), unwrapState, objectName)
    if (value === undefined) continue
    defineDataProperty(next, key, value)
    rows.push(row && !('json' in row && row.json === undefined) ? row : store.serialize(key, value))
  }
  for (const key of Object.keys(stored)) if (!Object.hasOwn(next, key)) rows.push({ key, json: null })
  return { next, rows }
}

// An empty plan: the array was stored as item rows already (a first write has every item), and
// each item's JSON is the stored one.
function isUnchanged(items: Extract<StateRow, { items: unknown }>['items']): boolean {
  return items.upserts.length === 0 && !items.deleteRange && !items.deleteAll
}

function isLongArray(value: unknown): boolean {
  return Array.isArray(value) && value.length >= ITEM_ROWS_FROM
}
