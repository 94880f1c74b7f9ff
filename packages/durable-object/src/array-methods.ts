import { copyNewValue, createSlice, markChanged, pathOf, type ChangeTracker, type Place } from './state-proxy.js'

// The array methods a state array runs itself. Through the proxy's traps, `shift` on 1,000 items
// is 999 reads (a proxy each) and 999 writes (a validating copy each) to move every item down
// one place; here it is the plain array's own shift and one change recorded. Likewise `reverse`
// or `sort` through the traps would write every item back as a new value, a validating copy
// each; here the items move and stay the same objects (with their proxies and their JSON).
// Only methods that keep the array dense are here (no holes to check); the rest keep the traps.

export type ArrayMethods = Pick<
  unknown[],
  'push' | 'pop' | 'shift' | 'unshift' | 'splice' | 'slice' | 'reverse' | 'sort' | 'fill' | 'copyWithin'
>

/**
 * The methods of the state array `array` seen through `proxy`. Values coming in are copied as
 * any write is; items going out (pop, shift, splice) have left the state and are returned plain;
 * items of a slice read as proxies, as indexing would (see createSlice).
 */
export function createArrayMethods(array: unknown[], proxy: object, place: Place, tracker: ChangeTracker): ArrayMethods {
  const prototype = Array.prototype
  // A change starting at item `from` (see ChangeTracker.markDirty); the key is `place.topKey`.
  const changed = (from: number) => markChanged(place, '', tracker, place.isTopValue ? from : 0)
  // `count` items removed from the front, the rest unchanged (see ChangeTracker.markDropped).
  const dropped = (count: number) => (place.isTopValue ? tracker.markDropped(place.topKey!, count) : changed(0))
  // Refused outside a turn, naming the first item the change would touch.
  const begin = (index: number) => {
    if (!tracker.isInTurn()) tracker.assertInTurn(`${pathOf(place, tracker)}[${index}]`)
  }
  // An item as reading it through the proxy gives it.
  const itemView = (item: unknown, index: number) =>
    typeof item === 'object' && item !== null ? tracker.proxyFor(item, place, String(index), true) : item
  const copyIn = (values: unknown[], at: number) =>
    values.map((value, i) => copyNewValue(value, () => `${pathOf(place, tracker)}[${at + i}]`, tracker.objectName))
  return {
    push(this: unknown, ...values: unknown[]) {
      // Called on something else (`state.list.push.call(other, x)`): the standard method.
      if (this !== proxy) return Reflect.apply(prototype.push, this, values)
      begin(array.length)
      const from = array.length
      const length = array.push(...copyIn(values, from))
      if (values.length) changed(from)
      return length
    },
    pop(this: unknown) {
      if (this !== proxy) return Reflect.apply(prototype.pop, this, [])
      begin(Math.max(array.length - 1, 0))
      if (array.length === 0) return undefined
      const item = array.pop()
      changed(array.length)
      return item
    },
    shift(this: unknown) {
      if (this !== proxy) return Reflect.apply(prototype.shift, this, [])
      begin(0)
      if (array.length === 0) return undefined
      const item = array.shift()
      dropped(1)
      return item
    },
    unshift(this: unknown, ...values: unknown[]) {
      if (this !== proxy) return Reflect.apply(prototype.unshift, this, values)
      begin(0)
      const length = array.unshift(...copyIn(values, 0))
      if (values.length) changed(0)
      return length
    },
    splice(this: unknown, ...args: unknown[]) {
      if (this !== proxy) return Reflect.apply(prototype.splice, this, args)
      const start = relativeIndex(args[0], array.length)
      begin(start)
      // splice(start) removes to the end, splice(start, undefined) removes nothing: keep the arity.
      if (args.length === 0) return []
      const removed = args.length === 1 ? array.splice(start) : array.splice(start, args[1] as number, ...copyIn(args.slice(2), start))
      if (start === 0 && args.length <= 2) {
        if (removed.length) dropped(removed.length)
      } else if (removed.length || args.length > 2) changed(start)
      return removed
    },
    reverse(this: unknown) {
      if (this !== proxy || !isDense(array)) return Reflect.apply(prototype.reverse, this, [])
      begin(0)
      array.reverse()
      if (array.length > 1) changed(0)
      return proxy as unknown[]
    },
    sort(this: unknown, compare?: unknown) {
      if (this !== proxy || !isDense(array)) return Reflect.apply(prototype.sort, this, [compare])
      begin(0)
      if (compare === undefined) array.sort()
      else {
        if (typeof compare !== 'function') return Reflect.apply(prototype.sort, this, [compare]) // the standard TypeError
        // The comparator sees items as reading them would (proxies); the array gets the items.
        const pairs = array.map((item, index) => ({ item, seen: itemView(item, index) }))
        pairs.sort((a, b) => compare(a.seen, b.seen))
        pairs.forEach((pair, index) => (array[index] = pair.item))
      }
      if (array.length > 1) changed(0)
      return proxy as unknown[]
    },
    fill(this: unknown, value: unknown, ...range: unknown[]) {
      if (this !== proxy || !isDense(array)) return Reflect.apply(prototype.fill, this, [value, ...range])
      const length = array.length
      const start = relativeIndex(range[0], length)
      const end = range[1] === undefined ? length : relativeIndex(range[1], length)
      begin(start)
      // One copy per slot: one object is never in two places in the state.
      for (let index = start; index < end; index++) array[index] = copyIn([value], index)[0]
      if (start < end) changed(start)
      return proxy as unknown[]
    },
    copyWithin(this: unknown, target: unknown, ...range: unknown[]) {
      if (this !== proxy || !isDense(array)) return Reflect.apply(prototype.copyWithin, this, [target, ...range])
      const length = array.length
      const to = relativeIndex(target, length)
      const start = relativeIndex(range[0], length)
      const end = range[1] === undefined ? length : relativeIndex(range[1], length)
      const count = Math.min(end - start, length - to)
      if (count <= 0) return proxy as unknown[]
      begin(to)
      // The copies are new objects (the originals may stay where they are); plain data, so a
      // structured clone is a faithful copy.
      const copies = array
        .slice(start, start + count)
        .map((item) => (typeof item === 'object' && item !== null ? structuredClone(item) : item))
      for (let i = 0; i < count; i++) array[to + i] = copies[i]
      changed(to)
      return proxy as unknown[]
    },
    slice(this: unknown, ...args: unknown[]) {
      if (this !== proxy) return Reflect.apply(prototype.slice, this, args)
      const length = array.length
      const start = relativeIndex(args[0], length)
      const end = args[1] === undefined ? length : relativeIndex(args[1], length)
      return createSlice(array, start, Math.max(start, end), place, tracker)
    },
  }
}

// Holes (left by a delete this turn) are the traps' business: they report them before commit.
function isDense(array: unknown[]): boolean {
  for (let index = 0; index < array.length; index++) if (!(index in array)) return false
  return true
}

// An index argument as the standard array methods read it: negative counts from the end.
function relativeIndex(value: unknown, length: number): number {
  const n = Math.trunc(Number(value)) || 0
  return n < 0 ? Math.max(length + n, 0) : Math.min(n, length)
}
