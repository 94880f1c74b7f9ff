import { DurableObjectStateError } from './errors.js'
import { forgetJson } from './item-json.js'
import { defineDataProperty, joinPath } from './json-data.js'
import { copyOver, createStateProxy, placeOfChild, unwrapState, type ChangeTracker, type Place, type Plain } from './state-proxy.js'

export { unwrapResult, unwrapState } from './state-proxy.js'

/** Why a call may not change the state now: its outside work runs, or it has ended. */
export type ReadOnlyReason = 'outside' | 'ended'

const ROOT: Place = { topKey: undefined, isTopValue: false, path: 'state' }

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
  /**
   * For each dirty key, the first item of its array the turn may have changed (see markDirty);
   * Infinity when it only changed inside items (those are listed in #changedItems).
   */
  #changedFrom = new Map<string, number>()
  /**
   * For each dirty array key, how many of its stored items left the front (see markDropped): its
   * items before #changedFrom are the stored ones from there on.
   */
  #droppedFront = new Map<string, number>()
  /** For each dirty key, the items of its array changed inside (their index is found at commit). */
  #changedItems = new Map<string, Set<object>>()
  #reshapedArrays = new Map<unknown[], string>()
  #inTurn = false
  /** Bumped by `retireViews`: proxies handed out before refuse changes. */
  #generation = 0
  #tracker!: ChangeTracker
  #view!: Plain
  /** `this.state` for a call that may not change it (see readOnlyView), by the reason why. */
  #readOnlyViews = new Map<ReadOnlyReason, Plain>()

  constructor(objectName: string) {
    this.objectName = objectName
    this.retireViews()
  }

  /**
   * A tracker, and so a family of proxies, with its own rule for when a change is allowed
   * (`refuse` returns the error to throw, or undefined to allow it).
   */
  #createTracker(refuse: (path: string) => Error | undefined): ChangeTracker {
    const proxies = new WeakMap<object, object>()
    const tracker: ChangeTracker = {
      objectName: this.objectName,
      isInTurn: () => refuse('state') === undefined,
      assertInTurn: (path) => {
        const error = refuse(path)
        if (error) throw error
      },
      markDirty: (key, from = 0, item) => (item ? this.#markItemChanged(key, item) : this.#markDirty(key, from)),
      markDropped: (key, count) => this.#markDropped(key, count),
      noteReshaped: (array, path) => this.#reshapedArrays.set(array, path),
      // Proxies are kept for as long as their object lives: a turn that reads 1,000 items reuses
      // the proxies of the turn before.
      proxyFor: (target, parent, key, inArray) => {
        let proxy = proxies.get(target)
        if (!proxy) {
          proxy = createStateProxy(target, placeOfChild(parent, key, target, inArray), tracker)
          proxies.set(target, proxy)
        }
        return proxy
      },
      pathOfItem: (topKey, item) => {
        const array = this.#root[topKey]
        const index = Array.isArray(array) ? array.indexOf(item) : -1
        return `${joinPath('state', topKey)}[${index < 0 ? '?' : index}]`
      },
    }
    return tracker
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
    let from = this.#changedFrom.get(key) ?? 0
    const items = this.#changedItems.get(key)
    const array = this.#root[key]
    if (items && Array.isArray(array)) {
      for (const item of items) {
        // An item no longer in the array (removed after the change) changes nothing stored.
        const index = array.indexOf(item)
        if (index >= 0 && index < from) from = index
      }
    }
    return from
  }

  /** How many stored items left the front of the array under `key` this turn (see changedFrom). */
  droppedFront(key: string): number {
    return this.#droppedFront.get(key) ?? 0
  }

  #markDropped(key: string, count: number): void {
    // Not dirty yet: every item is the stored one.
    const from = this.#changedFrom.get(key) ?? Infinity
    if (from >= count) {
      this.#droppedFront.set(key, this.droppedFront(key) + count)
      this.#changedFrom.set(key, from - count)
    } else {
      // An item changed this turn moved out: what is left is compared from the start.
      this.#droppedFront.delete(key)
      this.#changedFrom.set(key, 0)
    }
    this.#dirty.add(key)
  }

  #markDirty(key: string, from: number): void {
    this.#changedFrom.set(key, Math.min(this.#changedFrom.get(key) ?? from, from))
    this.#dirty.add(key)
  }

  /** A change inside `item` of the array under `key`: its JSON is stale, the other items' are not. */
  #markItemChanged(key: string, item: object): void {
    forgetJson(item)
    let items = this.#changedItems.get(key)
    if (!items) this.#changedItems.set(key, (items = new Set()))
    items.add(item)
    this.#markDirty(key, Infinity)
  }

  /** Starts over from stored state (load, or after the storage was wiped). */
  load(root: Plain): void {
    this.#root = root
    this.retireViews()
    this.markClean()
  }

  /**
   * A call steps out (`this.outside`): every proxy handed out so far becomes read-only. A value
   * read from this.state before may be stale once other calls ran, and a change made through it
   * from the outside work would land in whichever turn happens to run: refuse it instead.
   */
  retireViews(): void {
    const generation = ++this.#generation
    this.#tracker = this.#createTracker((path) =>
      generation !== this.#generation ? this.#retiredViewError(path) : this.#inTurn ? undefined : this.#outsideTurnError(path),
    )
    this.#view = createStateProxy(this.#root, ROOT, this.#tracker)
    this.#readOnlyViews.clear()
  }

  /**
   * `this.state` reached through the `this` of a call that may not change it: its work in
   * `this.outside(work)` runs, or the call has ended (a timer or waitUntil callback). It reads the
   * live state and refuses every change, even while another call runs, whose commit would
   * otherwise take the change in.
   */
  readOnlyView(reason: ReadOnlyReason): Plain {
    let view = this.#readOnlyViews.get(reason)
    if (!view) {
      const root = this.#root
      const tracker = this.#createTracker((path) => (root !== this.#root ? this.#retiredViewError(path) : this.refusal(reason, path)))
      view = createStateProxy(root, ROOT, tracker)
      this.#readOnlyViews.set(reason, view)
    }
    return view
  }

  /** Why a change through a read-only view (or `this.state = ...`) is refused. */
  refusal(reason: ReadOnlyReason, path: string): DurableObjectStateError {
    return reason === 'ended' ? this.#outsideTurnError(path) : this.#outsideWorkError(path)
  }

  /** A change made from `this.outside(work)`: it would belong to no turn. */
  #outsideWorkError(path: string): DurableObjectStateError {
    return new DurableObjectStateError(
      `${this.objectName}: ${path} was changed inside this.outside(work). The object is released while work runs ` +
        '(other calls run meanwhile), so that change would belong to no call and is refused. Return what you need ' +
        'from work and change the state after it: `const reply = await this.outside(() => ask(question)); ' +
        'this.state.replies.push(reply)`.',
      path,
    )
  }

  setInTurn(inTurn: boolean): void {
    this.#inTurn = inTurn
  }

  markClean(): void {
    this.#dirty.clear()
    this.#changedFrom.clear()
    this.#droppedFront.clear()
    this.#changedItems.clear()
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
      updates.set(key, copyOver(this.#root[key], value, joinPath('state', key), this.objectName))
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
    if (!this.#inTurn) throw this.#outsideTurnError(path)
  }

  #retiredViewError(path: string): DurableObjectStateError {
    return new DurableObjectStateError(
      `${this.objectName}: ${path} was changed through a value read from this.state before \`await this.outside(...)\`. ` +
        'Other calls may have changed the state while the object was released, so that value is out of date and ' +
        'read-only. Read it again from this.state after this.outside returns (e.g. this.state.items.push(item)).',
      path,
    )
  }

  #outsideTurnError(path: string): DurableObjectStateError {
    return new DurableObjectStateError(
      `${this.objectName}: ${path} was changed outside a call (for example in a setTimeout or ctx.waitUntil ` +
        'callback that ran after the method returned). Only changes made while a method, fetch, alarm or ' +
        'WebSocket handler runs are saved: await that work inside the handler instead.',
      path,
    )
  }
}
