import { copyNewValue, createSlice, markChanged, pathOf, type ChangeTracker, type Place } from './state-proxy.js'

// The array methods a state array runs itself. Through the proxy's traps, `shift` on 1,000 items
// is 999 reads (a proxy each) and 999 writes (a validating copy each) to move every item down
// one place; here it is the plain array's own shift and one change recorded. Only methods that
// keep the array dense are here (no holes to check); sort, reverse and the rest keep the traps.

export type ArrayMethods = Pick<unknown[], 'push' | 'pop' | 'shift' | 'unshift' | 'splice' | 'slice'>

/**
 * The methods of the state array `array` seen through `proxy`. Values coming in are copied as
 * any write is; items going out (pop, shift, splice) have left the state and are returned plain;
 * items of a slice read as proxies, as indexing would (see createSlice).
 */
export function createArrayMethods(array: unknown[], proxy: object, place: Place, tracker: ChangeTracker): ArrayMethods {
  const prototype = Array.prototype
  // A change starting at item `from` (see ChangeTracker.markDirty); the key is `place.topKey`.
  const changed = (from: number) => markChanged(place, '', tracker, place.isTopValue ? from : 0)
  // Refused outside a turn, naming the first item the change would touch.
  const begin = (index: number) => {
    if (!tracker.isInTurn()) tracker.assertInTurn(`${pathOf(place, tracker)}[${index}]`)
  }
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
      changed(0)
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
      if (removed.length || args.length > 2) changed(start)
      return removed
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

// An index argument as the standard array methods read it: negative counts from the end.
function relativeIndex(value: unknown, length: number): number {
  const n = Math.trunc(Number(value)) || 0
  return n < 0 ? Math.max(length + n, 0) : Math.min(n, length)
}
