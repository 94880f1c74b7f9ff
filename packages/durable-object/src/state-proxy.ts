import { createArrayMethods, type ArrayMethods } from './array-methods.js'
import { DurableObjectStateError } from './errors.js'
import { copyJsonData, defineDataProperty, joinPath } from './json-data.js'

export type Plain = Record<string, unknown>

/** Where a proxied object sits in the state. */
export interface Place {
  /** The top-level key it lives under; undefined for the root. */
  readonly topKey: string | undefined
  /** It is the value of a top-level key: writes to such an array say which item they start at. */
  readonly isTopValue: boolean
  /**
   * The item of a top-level array it is or lives in. Its index changes as items come and go
   * (a shift, a window), so the path is kept below it and the index looked up when needed.
   */
  readonly item?: object
  /** The path, e.g. `state.profile.tags`; below `item` when there is one, e.g. `.tags` or ``. */
  readonly path: string
}

/** What a state proxy reports to, and asks of, the TrackedState that owns it. */
export interface ChangeTracker {
  readonly objectName: string
  isInTurn(): boolean
  /** Throws unless a turn is running: a change made outside one would never be saved. */
  assertInTurn(path: string): void
  /**
   * Records a change under `topKey`. `from` is the first item it can change when the key's value
   * is an array changed directly (a long array is stored one row per item, and a commit then
   * serializes only the items from there); 0 means anywhere. A change inside an item of such an
   * array names the `item` instead (its JSON is stale), and leaves the other items alone.
   */
  markDirty(topKey: string, from?: number, item?: object): void
  /**
   * `count` items left the front of the array under `topKey` (a shift, a splice at 0, a window
   * assigned back), the others moving down with their JSON unchanged: a commit then deletes the
   * first rows instead of comparing every item.
   */
  markDropped(topKey: string, count: number): void
  /** Remembers an array a turn shortened or extended, to check it for holes before commit. */
  noteReshaped(array: unknown[], path: string): void
  /** The (cached) proxy of `target`, found under `key` of the object (an array when `inArray`) at `parent`. */
  proxyFor(target: object, parent: Place, key: string, inArray: boolean): object
  /** `state.messages[12]`: the path of an item of the array under `topKey`, where it is now. */
  pathOfItem(topKey: string, item: object): string
}

// Which proxy stands for which plain object. Shared by every object in the isolate: a proxy is
// only ever created for, and resolved to, one plain object, so the map cannot mix objects up.
const targetsOfProxies = new WeakMap<object, object>()

/** The plain object behind a state proxy, or undefined when `value` is not one. */
export function unwrapState(value: object): object | undefined {
  return targetsOfProxies.get(value)
}

/**
 * The plain value to copy for a method's result: what a state proxy stands for, or the array a
 * slice of a state array wraps (see createSlice). A slice is a proxy too, and RPC cannot send one.
 */
export function unwrapResult(value: object): object | undefined {
  return targetsOfProxies.get(value) ?? slices.get(value)?.own
}

/** The place of the value under `key` of the object at `parent` (an array when `inArray`). */
export function placeOfChild(parent: Place, key: string, value: object, inArray: boolean): Place {
  const { topKey } = parent
  if (topKey === undefined) return { topKey: key, isTopValue: true, path: joinPath(parent.path, key) }
  if (parent.isTopValue && inArray) return { topKey, isTopValue: false, item: value, path: '' }
  return { topKey, isTopValue: false, item: parent.item, path: inArray ? `${parent.path}[${key}]` : joinPath(parent.path, key) }
}

/** The full path of a place, for messages. */
export function pathOf(place: Place, tracker: ChangeTracker): string {
  return place.item ? tracker.pathOfItem(place.topKey!, place.item) + place.path : place.path
}

/**
 * A proxy over one plain object of the state. Reads hand out proxies of nested objects; writes
 * copy the value in (see copyJsonData) and mark the top-level key dirty. An array's own
 * push/pop/shift/unshift/splice/slice work on the plain array directly (array-methods.ts).
 */
export function createStateProxy(target: object, place: Place, tracker: ChangeTracker): Plain {
  const isArray = Array.isArray(target)
  // Writes to an array that is itself a top-level value say which item they start at.
  const topArray = place.isTopValue && isArray
  const unsupported = (what: string, fix: string) => {
    const path = pathOf(place, tracker)
    return new DurableObjectStateError(`${tracker.objectName}: ${what} is not supported on ${path}; ${fix}.`, path)
  }
  let methods: ArrayMethods | undefined
  const proxy = new Proxy(target as Plain, {
    get(object, key, receiver) {
      // Only own data is state; inherited members (array methods) pass through raw. Except the
      // two that lead to a prototype: state is JSON data, where "__proto__" and "constructor"
      // are keys like any other, so unset they read as undefined. Otherwise
      // `state.buckets[name] ??= {}; state.buckets[name][key] = value` with a name of
      // "__proto__" (or `state.x[a][b][c]` = constructor.prototype.polluted) would write into
      // Object.prototype, shared by every object and route in the isolate.
      if (typeof key === 'symbol' || !Object.hasOwn(object, key)) {
        if (key === '__proto__' || key === 'constructor') return undefined
        if (isArray && typeof key === 'string') {
          methods ??= createArrayMethods(object as unknown as unknown[], proxy, place, tracker)
          if (Object.hasOwn(methods, key)) return methods[key as keyof ArrayMethods]
        }
        return Reflect.get(object, key, receiver)
      }
      const value = object[key]
      if (typeof value !== 'object' || value === null) return value
      return tracker.proxyFor(value, place, key, isArray)
    },
    set(object, key, value) {
      if (typeof key === 'symbol') throw unsupported('a symbol key', 'use string keys (state is saved as JSON)')
      if (isArray && key !== 'length' && !isArrayIndex(key)) {
        throw unsupported(`the non-index property "${key}" on an array`, 'JSON keeps only array items; use an object')
      }
      const from = topArray ? (key === 'length' ? Math.min((object as unknown as unknown[]).length, Number(value)) : Number(key)) : 0
      writeProperty(object, key, value, place, tracker, from)
      return true
    },
    deleteProperty(object, key) {
      if (typeof key === 'symbol') return true
      if (!tracker.isInTurn()) tracker.assertInTurn(childPath(place, key, tracker))
      if (!Object.hasOwn(object, key)) return true
      delete object[key]
      // pop/shift/splice through the generic path delete trailing items before shortening the
      // array; a hole left when the turn ends is reported before commit.
      if (isArray) tracker.noteReshaped(object as unknown as unknown[], pathOf(place, tracker))
      markChanged(place, key, tracker, topArray ? Number(key) : 0)
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

/** Marks the change of `key` of the object at `place` (`from`: see ChangeTracker.markDirty). */
export function markChanged(place: Place, key: string, tracker: ChangeTracker, from: number): void {
  if (place.topKey === undefined) tracker.markDirty(key, 0)
  else tracker.markDirty(place.topKey, from, place.item)
}

function writeProperty(object: Plain, key: string, value: unknown, place: Place, tracker: ChangeTracker, from: number): void {
  if (!tracker.isInTurn()) tracker.assertInTurn(childPath(place, key, tracker))
  if (Array.isArray(object)) {
    if (key === 'length' ? (value as number) > object.length : Number(key) > object.length)
      tracker.noteReshaped(object, pathOf(place, tracker))
  } else if (value === undefined) {
    // JSON drops undefined properties, so assigning undefined is deleting the key.
    if (Object.hasOwn(object, key)) {
      delete object[key]
      markChanged(place, key, tracker, 0)
    }
    return
  }
  const exists = Object.hasOwn(object, key)
  if (exists) {
    // Setting the value a key already has (or the same state object back) is not a change.
    const current = object[key]
    if (Object.is(current, value)) return
    if (typeof value === 'object' && value !== null && unwrapState(value) === current) return
  }
  if (key === 'length') (object as unknown as unknown[]).length = value as number
  else if (place.topKey === undefined && exists) {
    const window = takeWindow(object[key], value)
    if (window) {
      // `state.messages = state.messages.slice(-1000)`: the items before the window leave the
      // front, those after it the end. In place: the array keeps its proxy and its room to grow,
      // so a turn of the reference chat room leaves no new array behind (a flood of them made
      // the isolate's young generation grow, see BENCHMARKS.md).
      const array = object[key] as unknown[]
      array.splice(0, window.start)
      array.length = window.items.length
      tracker.markDropped(key, window.start)
      tracker.markDirty(key, window.items.length)
      return
    }
    defineDataProperty(object, key, copyOver(object[key], value, joinPath(place.path, key), tracker.objectName))
  } else
    defineDataProperty(
      object,
      key,
      copyNewValue(value, () => childPath(place, key, tracker), tracker.objectName),
    )
  markChanged(place, key, tracker, from)
}

/** The path of `key` of the object at `place`. */
function childPath(place: Place, key: string, tracker: ChangeTracker): string {
  const path = pathOf(place, tracker)
  return place.topKey !== undefined && isArrayIndex(key) ? `${path}[${key}]` : joinPath(path, key)
}

/**
 * A value being written into the state, copied (see copyJsonData). Primitives are stored as they
 * are; only objects need the validating copy, and only they need the path.
 */
export function copyNewValue(value: unknown, path: () => string, objectName: string): unknown {
  if (typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) {
    return value
  }
  return copyJsonData(value, path(), unwrapState, objectName)
}

/**
 * The copy of `value` assigned to a top-level key that holds `current`. An array made of the
 * items of the array it replaces (`state.messages = state.messages.slice(-1000)`, a `filter`,
 * `[...state.messages, message]`) keeps those item objects rather than cloning them: the old
 * array leaves the state, so each item still lives under one key only, and an item that stays
 * keeps its proxy and the JSON its row was written with (a window costs the items it moves).
 */
export function copyOver(current: unknown, value: unknown, path: string, objectName: string): unknown {
  if (!Array.isArray(current) || !Array.isArray(value) || Object.getPrototypeOf(value) !== Array.prototype || unwrapState(value)) {
    return copyNewValue(value, () => path, objectName)
  }
  const window = takeWindow(current, value)
  if (window) return window.items
  const owned = new Set<unknown>(current)
  const copy: unknown[] = []
  for (let index = 0; index < value.length; index++) {
    // A hole: the full copy names it.
    if (!(index in value)) return copyJsonData(value, path, unwrapState, objectName)
    const item = value[index]
    const target = typeof item === 'object' && item !== null ? unwrapState(item) : undefined
    // Each old item once: a second occurrence is copied, so no object sits twice in the state.
    if (target && owned.delete(target)) copy.push(target)
    else copy.push(copyNewValue(item, () => `${path}[${index}]`, objectName))
  }
  return copy
}

// What `slice` on a state array hands out (array-methods.ts): a plain array of its own, seen
// through a proxy that shows the state items in it as state proxies when read. Made lazily, a
// slice of 1,000 items costs two native copies; and when it is assigned back to the key it came
// from (`state.messages = state.messages.slice(-1000)`) it is known for the window it is without
// looking at its items one by one (see takeWindow).
interface Slice {
  source: unknown[]
  start: number
  /** The source's items as sliced; an item of `own` still equal to its counterpart is a state item. */
  items: unknown[]
  /** The array the caller holds and may change like any array of its own. */
  own: unknown[]
}
const slices = new WeakMap<object, Slice>()

/** `source.slice(start, end)` for a state array at `place`, as described above. */
export function createSlice(source: unknown[], start: number, end: number, place: Place, tracker: ChangeTracker): unknown[] {
  const slice: Slice = { source, start, items: source.slice(start, end), own: source.slice(start, end) }
  const view = new Proxy(slice.own, {
    get(own, key, receiver) {
      const value = Reflect.get(own, key, receiver)
      if (typeof value !== 'object' || value === null || typeof key !== 'string' || !Object.hasOwn(own, key)) return value
      const index = Number(key)
      return slice.items[index] === value ? tracker.proxyFor(value, place, String(start + index), true) : value
    },
  })
  slices.set(view, slice)
  return view
}

// The state items of `value` when it is a slice of `current` as handed out, and neither has
// changed since, with where it starts in `current`; they become the new array, each item still
// under one key only.
function takeWindow(current: unknown, value: unknown): { items: unknown[]; start: number } | undefined {
  if (!Array.isArray(current) || typeof value !== 'object' || value === null) return undefined
  const slice = slices.get(value)
  if (!slice || slice.source !== current) return undefined
  const { own, items, start } = slice
  if (own.length !== items.length) return undefined
  for (let index = 0; index < items.length; index++) {
    if (own[index] !== items[index] || current[start + index] !== items[index]) return undefined
  }
  slices.delete(value)
  return { items, start }
}

export function isArrayIndex(key: string): boolean {
  return /^(?:0|[1-9]\d*)$/.test(key) && Number(key) < 2 ** 32 - 1
}
