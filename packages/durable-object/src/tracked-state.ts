import { DurableObjectStateError } from './errors.js'
import { copyJsonData, defineDataProperty, joinPath } from './json-data.js'
import { createStateProxy, unwrapState, type ChangeTracker, type Plain } from './state-proxy.js'

export { unwrapState } from './state-proxy.js'

/**
 * The object's state in memory, seen through proxies that record which top-level keys a turn
 * changed, so a commit writes those rows only. Every nested proxy remembers its top-level key.
 *
 * Values are copied into the state when assigned (see copyJsonData): the tree never shares an
 * object between two keys, so "the key this object lives under" is always well defined.
 */
export class TrackedState {
  readonly objectName: string
  #root: Plain = {}
  #dirty = new Set<string>()
  /** For each dirty key, the first item of its array the turn may have changed (see markDirty). */
  #changedFrom = new Map<string, number>()
  #reshapedArrays = new Map<unknown[], string>()
  #proxies = new WeakMap<object, object>()
  #inTurn = false
  readonly #tracker: ChangeTracker
  #view: Plain

  constructor(objectName: string) {
    this.objectName = objectName
    this.#tracker = {
      objectName,
      isInTurn: () => this.#inTurn,
      assertInTurn: (path) => this.#assertInTurn(path),
      markDirty: (key, from = 0) => this.#markDirty(key, from),
      noteReshaped: (array, path) => this.#reshapedArrays.set(array, path),
      proxyFor: (target, topKey, parentPath, key, isTopValue) => {
        let proxy = this.#proxies.get(target)
        if (!proxy) {
          proxy = createStateProxy(target, topKey, joinPath(parentPath, key), this.#tracker, isTopValue)
          this.#proxies.set(target, proxy)
        }
        return proxy
      },
    }
    this.#view = createStateProxy(this.#root, undefined, 'state', this.#tracker)
  }

  /** What `this.state` returns. */
  get view(): Plain {
    return this.#view
  }

  /** The plain state, for validation and serialization. Never hand this to user code. */
  get raw(): Readonly<Plain> {
    return this.#root
  }

  get dirtyKeys(): ReadonlySet<string> {
    return this.#dirty
  }

  /** The first item of a dirty array value this turn may have changed (0 when not known). */
  changedFrom(key: string): number {
    return this.#changedFrom.get(key) ?? 0
  }

  #markDirty(key: string, from: number): void {
    this.#changedFrom.set(key, Math.min(this.#changedFrom.get(key) ?? from, from))
    this.#dirty.add(key)
  }

  /** Starts over from stored state (load, or after the storage was wiped). */
  load(root: Plain): void {
    this.#root = root
    this.#proxies = new WeakMap()
    this.#view = createStateProxy(root, undefined, 'state', this.#tracker)
    this.markClean()
  }

  setInTurn(inTurn: boolean): void {
    this.#inTurn = inTurn
  }

  markClean(): void {
    this.#dirty.clear()
    this.#changedFrom.clear()
    this.#reshapedArrays.clear()
  }

  /** Puts back a key's committed value (rollback); `undefined` means the key was not stored. */
  restore(key: string, value: unknown): void {
    if (value === undefined) delete this.#root[key]
    else defineDataProperty(this.#root, key, value)
  }

  /** The path of an array left with a hole by this turn (JSON would turn it into null), if any. */
  findHole(): string | undefined {
    for (const [array, path] of this.#reshapedArrays) {
      for (let index = 0; index < array.length; index++) if (!(index in array)) return `${path}[${index}]`
    }
    return undefined
  }

  /** `this.state = next`: only keys whose value really changes become dirty. */
  replace(next: unknown): void {
    this.#assertInTurn('state')
    const source = (next !== null && typeof next === 'object' && unwrapState(next)) || next
    if (source === this.#root) return
    if (source === null || typeof source !== 'object' || Array.isArray(source)) {
      throw new DurableObjectStateError(
        `${this.objectName}: this.state must be a plain object, got ${Array.isArray(source) ? 'an array' : String(source)}. ` +
          'Assign an object, e.g. this.state = { ...this.state, value: 0 }.',
        'state',
      )
    }
    // Copy every changed value before touching the state, so a bad value changes nothing.
    const updates = new Map<string, unknown>()
    for (const key of Object.keys(source)) {
      const value = (source as Plain)[key]
      if (value === undefined || this.#holds(key, value)) continue
      updates.set(key, copyJsonData(value, joinPath('state', key), unwrapState, this.objectName))
    }
    for (const key of Object.keys(this.#root)) {
      if ((source as Plain)[key] !== undefined) continue
      delete this.#root[key]
      this.#markDirty(key, 0)
    }
    for (const [key, value] of updates) {
      defineDataProperty(this.#root, key, value)
      this.#markDirty(key, 0)
    }
  }

  /** True when `key` already holds `value` (or the state object `value` stands for). */
  #holds(key: string, value: unknown): boolean {
    if (!Object.hasOwn(this.#root, key)) return false
    const current = this.#root[key]
    return Object.is(current, value) || (typeof value === 'object' && value !== null && unwrapState(value) === current)
  }

  #assertInTurn(path: string): void {
    if (this.#inTurn) return
    throw new DurableObjectStateError(
      `${this.objectName}: ${path} was changed outside a call (for example in a setTimeout or ctx.waitUntil ` +
        'callback that ran after the method returned). Only changes made while a method, fetch, alarm or ' +
        'WebSocket handler runs are saved: await that work inside the handler instead.',
      path,
    )
  }
}
