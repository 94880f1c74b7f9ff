import { DurableObjectError } from './errors.js'

/** How long a call may wait for the calls queued ahead of it, unless the definition says otherwise. */
export const DEFAULT_QUEUE_TIMEOUT_MS = 30_000

/** A call's place in the queue: it holds the object while it is `running`. */
export interface TurnSlot {
  readonly label: string
  startedAt: number
  /** Set while the slot waits; called when the object is its turn. */
  start?: () => void
}

/**
 * Runs an object's turns one at a time, in arrival order.
 *
 * workerd's input gate keeps other events out while a turn awaits storage, but not while it
 * awaits outside I/O (fetch, another object, a timer). Without this queue a second call could
 * run while the first is suspended: its commit would save the first call's half-made change, and
 * a rollback of either would undo the other's work. Queued, each turn sees only committed state.
 *
 * A call may step out (`this.outside`): it has committed, and `release` lets the next turn in
 * while it awaits. When its outside work settles, `resume` brings it back as soon as the running
 * turn ends, ahead of calls that are still waiting: it started before them, and has half a call
 * left to finish.
 *
 * A turn that awaits, without `this.outside`, a call which comes back into this same object
 * (A -> B -> A) waits on itself. A queued turn therefore gives up after `timeoutMs` with an error
 * that names the fix, and the turn it waited for goes on (it gets the error from its nested call).
 */
export class TurnQueue {
  readonly #objectName: string
  readonly #timeoutMs: number
  #running: TurnSlot | undefined
  readonly #waiting: TurnSlot[] = []
  readonly #resuming: TurnSlot[] = []

  constructor(objectName: string, timeoutMs: number) {
    this.#objectName = objectName
    this.#timeoutMs = timeoutMs
  }

  async run<T>(label: string, turn: (slot: TurnSlot) => Promise<T>): Promise<T> {
    const slot: TurnSlot = { label, startedAt: 0 }
    // An idle object starts the turn at once: no extra tick on the common path.
    if (this.#running || this.#waiting.length > 0 || this.#resuming.length > 0) await this.#waitInLine(slot)
    else this.#take(slot)
    try {
      return await turn(slot)
    } finally {
      this.release(slot)
    }
  }

  /** The running slot steps out (or ends): the next turn may start. */
  release(slot: TurnSlot): void {
    if (this.#running !== slot) return
    this.#running = undefined
    const next = this.#resuming.shift() ?? this.#waiting.shift()
    next?.start?.()
  }

  /** Waits until a slot that stepped out may run again: after the running turn, before new calls. */
  resume(slot: TurnSlot): Promise<void> {
    if (!this.#running) {
      this.#take(slot)
      return Promise.resolve()
    }
    return new Promise<void>((resolve) => {
      slot.start = () => {
        this.#take(slot)
        resolve()
      }
      this.#resuming.push(slot)
    })
  }

  #take(slot: TurnSlot): void {
    slot.start = undefined
    slot.startedAt = Date.now()
    this.#running = slot
  }

  #waitInLine(slot: TurnSlot): Promise<void> {
    const queuedAt = Date.now()
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiting.splice(this.#waiting.indexOf(slot), 1)
        reject(this.#timeoutError(slot.label, queuedAt))
      }, this.#timeoutMs)
      // Taken here, not after the await: a call arriving in between must not find the object idle.
      slot.start = () => {
        clearTimeout(timer)
        this.#take(slot)
        resolve()
      }
      this.#waiting.push(slot)
    })
  }

  #timeoutError(label: string, queuedAt: number): DurableObjectError {
    const running = this.#running
    const waited = `${this.#objectName}: the call to "${label}" waited ${Date.now() - queuedAt} ms`
    if (!running) {
      return new DurableObjectError(
        `${waited} for the calls queued ahead of it, and gave up. Too many calls are waiting for this object: ` +
          'wrap the slow awaits in its methods in `await this.outside(() => ...)` so other calls run meanwhile, or raise ' +
          '`queueTimeoutMs` in defineDurableObject.',
      )
    }
    // The timer could only fire because the running call is suspended: it awaits something.
    return new DurableObjectError(
      `${waited} for "${running.label}", which has been running for ${Date.now() - running.startedAt} ms, awaiting ` +
        'something, and gave up. An object runs one call at a time, and a call holds it while it awaits: a slow ' +
        'fetch or model, another object, or a call that comes back into this same object (a cycle: the two wait on ' +
        'each other). Fix: in "' +
        running.label +
        '", wrap that await in this.outside, e.g. `const reply = await this.outside(() => fetch(url))`: the call ' +
        'commits what it changed so far, and other calls (the call coming back too) run while it waits. If the ' +
        'call ahead is merely slow, raise `queueTimeoutMs` in defineDurableObject.',
    )
  }
}
