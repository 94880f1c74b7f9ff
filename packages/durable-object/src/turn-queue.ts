import { DurableObjectError } from './errors.js'

/** How long a call may wait for the calls queued ahead of it, unless the definition says otherwise. */
export const DEFAULT_QUEUE_TIMEOUT_MS = 30_000

/**
 * Runs an object's turns one at a time, in arrival order.
 *
 * workerd's input gate keeps other events out while a turn awaits storage, but not while it
 * awaits outside I/O (fetch, another object, a timer). Without this queue a second call could
 * run while the first is suspended: its commit would save the first call's half-made change, and
 * a rollback of either would undo the other's work. Queued, each turn sees only committed state.
 *
 * The price: a turn that awaits a call which comes back into this same object (A -> B -> A)
 * waits on itself. A queued turn therefore gives up after `timeoutMs` with an error that names
 * the cycle, and the turn it waited for goes on (it gets the error from its nested call).
 */
export class TurnQueue {
  readonly #objectName: string
  readonly #timeoutMs: number
  #tail: Promise<void> = Promise.resolve()
  #waiting = 0
  #current: { label: string; startedAt: number } | undefined

  constructor(objectName: string, timeoutMs: number) {
    this.#objectName = objectName
    this.#timeoutMs = timeoutMs
  }

  async run<T>(label: string, turn: () => Promise<T>): Promise<T> {
    const previous = this.#tail
    let release!: () => void
    this.#tail = new Promise<void>((resolve) => (release = resolve))
    // An idle object starts the turn at once: no extra tick on the common path.
    if (this.#current || this.#waiting > 0) {
      this.#waiting++
      try {
        await this.#waitFor(previous, label)
      } catch (error) {
        // Our place in the line is only free once the turns ahead of us are done.
        void previous.then(release)
        throw error
      } finally {
        this.#waiting--
      }
    }
    this.#current = { label, startedAt: Date.now() }
    try {
      return await turn()
    } finally {
      this.#current = undefined
      release()
    }
  }

  #waitFor(previous: Promise<void>, label: string): Promise<void> {
    const queuedAt = Date.now()
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(this.#cycleError(label, queuedAt)), this.#timeoutMs)
      void previous.then(() => {
        clearTimeout(timer)
        resolve()
      })
    })
  }

  #cycleError(label: string, queuedAt: number): DurableObjectError {
    const running = this.#current
    const blocker = running
      ? `"${running.label}", which has been running for ${Date.now() - running.startedAt} ms`
      : 'the calls queued ahead of it'
    return new DurableObjectError(
      `${this.#objectName}: the call to "${label}" waited ${Date.now() - queuedAt} ms for ${blocker}, and gave up. ` +
        'An object runs one call at a time, so this is usually a cycle: a call awaited something (another ' +
        'object, a fetch back into this Worker) that called this same object again, and the two waited on ' +
        'each other. Break the cycle: do not await calls that come back into the calling object (start them ' +
        'with ctx.waitUntil, or pass along the data they would fetch). If the call ahead is merely slow, raise ' +
        '`queueTimeoutMs` in defineDurableObject.',
    )
  }
}
