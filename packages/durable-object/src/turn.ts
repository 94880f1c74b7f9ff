import type { TurnSlot } from './turn-queue.js'
import type { Caller } from './types.js'

/**
 * One call (an RPC method, fetch, alarm or WebSocket event) while it runs. It holds the object
 * ('inside') except while the work given to `this.outside` runs ('outside'). Each stretch inside
 * is a segment: atomic on its own, committed when the call steps out and when it ends. Once
 * 'ended', its `this` may still be reached (a timer, a waitUntil callback) but changes nothing.
 */
export interface Turn {
  /** Its place in the object's queue (the slot's label names the entry point). */
  readonly slot: TurnSlot
  phase: 'inside' | 'outside' | 'ended'
  /** Broadcasts of the running segment: sent once it has committed, dropped if it fails. */
  outbox: Array<() => void>
  /**
   * Writes besides the state rows that the running segment decided (timers, versions, ...): run
   * in the commit's transaction, so they stand or fall with the state rows.
   */
  writes: Array<() => void>
  /** How many `this.outside` works of the call are running (two under one Promise.all). */
  outsideWorks: number
  /** Since the call last stepped out: settles once it holds the object again. */
  back: Promise<void> | undefined
  /** Called when the last running work settles: the call may come back in. */
  worksDone: (() => void) | undefined
  /** `this.caller`: the browser connection the call came from, if any. */
  caller?: Caller
}

export function createTurn(slot: TurnSlot): Turn {
  return { slot, phase: 'inside', outbox: [], writes: [], outsideWorks: 0, back: undefined, worksDone: undefined }
}
