import { DurableObjectStateError } from './errors.js'
import { copyJsonData, defineDataProperty, joinPath } from './json-data.js'

export type Plain = Record<string, unknown>

/** What a state proxy reports to, and asks of, the TrackedState that owns it. */
export interface ChangeTracker {
  readonly objectName: string
  isInTurn(): boolean
  /** Throws unless a turn is running: a change made outside one would never be saved. */
  assertInTurn(path: string): void
  /**
   * Records a change under `topKey`. `from` is the first item it can change when the key's value
   * is an array changed directly (a long array is stored one row per item, and a commit then
   * serializes only the items from there); 0 means anywhere.
   */
  markDirty(topKey: string, from?: number): void
  /** Remembers an array a turn shortened or extended, to check it for holes before commit. */
  noteReshaped(array: unknown[], path: string): void
  /** The (cached) proxy of a nested object. */
  proxyFor(target: object, topKey: string, parentPath: string, key: string, isTopValue: boolean): object
}

// Which proxy stands for which plain object. Shared by every object in the isolate: a proxy is
// only ever created for, and resolved to, one plain object, so the map cannot mix objects up.
const targetsOfProxies = new WeakMap<object, object>()

/** The plain object behind a state proxy, or undefined when `value` is not one. */
export function unwrapState(value: object): object | undefined {
  return targetsOfProxies.get(value)
}

/**
 * A proxy over one plain object of the state. Reads hand out proxies of nested objects; writes
 * copy the value in (see copyJsonData) and mark the top-level key dirty. `topKey` is undefined
 * for the root, where the key being written is itself the top-level key.
 */
export function createStateProxy(target: object, topKey: string | undefined, path: string, tracker: ChangeTracker, isTopValue = false): Plain {
  // Writes to an array that is itself a top-level value say which item they start at.
  const topArray = isTopValue && Array.isArray(target)
  const unsupported = (what: string, fix: string) =>
    new DurableObjectStateError(`${tracker.objectName}: ${what} is not supported on ${path}; ${fix}.`, path)
  const proxy = new Proxy(target as Plain, {
    get(object, key, receiver) {
      // Only own data is state; inherited members (array methods) pass through raw. Except the
      // two that lead to a prototype: state is JSON data, where "__proto__" and "constructor"
      // are keys like any other, so unset they read as undefined. Otherwise
      // `state.buckets[name] ??= {}; state.buckets[name][key] = value` with a name of
      // "__proto__" (or `state.x[a][b][c]` = constructor.prototype.polluted) would write into
      // Object.prototype, shared by every object and route in the isolate.
      if (typeof key === 'symbol' || !Object.hasOwn(object, key)) {
        return key === '__proto__' || key === 'constructor' ? undefined : Reflect.get(object, key, receiver)
      }
      const value = object[key]
      if (typeof value !== 'object' || value === null) return value
      return tracker.proxyFor(value, topKey ?? key, path, key, topKey === undefined)
    },
    set(object, key, value) {
      if (typeof key === 'symbol') throw unsupported('a symbol key', 'use string keys (state is saved as JSON)')
      if (Array.isArray(object) && key !== 'length' && !isArrayIndex(key)) {
        throw unsupported(`the non-index property "${key}" on an array`, 'JSON keeps only array items; use an object')
      }
      const from = topArray ? (key === 'length' ? Math.min((object as unknown as unknown[]).length, Number(value)) : Number(key)) : 0
      writeProperty(object, key, value, path, tracker, topKey ?? key, from)
      return true
    },
    deleteProperty(object, key) {
      if (typeof key === 'symbol') return true
      tracker.assertInTurn(joinPath(path, key))
      if (!Object.hasOwn(object, key)) return true
      delete object[key]
      // pop/shift/splice delete trailing items before shortening the array; a hole left when
      // the turn ends is reported before commit.
      if (Array.isArray(object)) tracker.noteReshaped(object, path)
      tracker.markDirty(topKey ?? key, topArray ? Number(key) : 0)
      return true
    },
    defineProperty() {
      throw unsupported('Object.defineProperty', 'assign the property instead (state.x = value)')
    },
    setPrototypeOf() {
      throw unsupported('Object.setPrototypeOf', 'state holds plain objects only')
    },
    preventExtensions() {
      throw unsupported('Object.freeze / preventExtensions', 'freeze a copy instead')
    },
  })
  targetsOfProxies.set(proxy, target)
  return proxy
}

function writeProperty(object: Plain, key: string, value: unknown, path: string, tracker: ChangeTracker, dirtyKey: string, from: number): void {
  if (!tracker.isInTurn()) tracker.assertInTurn(joinPath(path, key))
  if (Array.isArray(object)) {
    if (key === 'length' ? (value as number) > object.length : Number(key) > object.length) tracker.noteReshaped(object, path)
  } else if (value === undefined) {
    // JSON drops undefined properties, so assigning undefined is deleting the key.
    if (Object.hasOwn(object, key)) {
      delete object[key]
      tracker.markDirty(dirtyKey)
    }
    return
  }
  if (Object.hasOwn(object, key)) {
    // Setting the value a key already has (or the same state object back) is not a change.
    const current = object[key]
    if (Object.is(current, value)) return
    if (typeof value === 'object' && value !== null && unwrapState(value) === current) return
  }
  if (key === 'length') (object as unknown as unknown[]).length = value as number
  else defineDataProperty(object, key, copyNewValue(value, path, key, tracker.objectName))
  tracker.markDirty(dirtyKey, from)
}

// Primitives are stored as they are; only objects need the validating copy (and a path).
function copyNewValue(value: unknown, path: string, key: string, objectName: string): unknown {
  if (typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) {
    return value
  }
  return copyJsonData(value, joinPath(path, key), unwrapState, objectName)
}

function isArrayIndex(key: string): boolean {
  return /^(?:0|[1-9]\d*)$/.test(key) && Number(key) < 2 ** 32 - 1
}
