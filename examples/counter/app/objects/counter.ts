import { defineDurableObject } from '@cloudwerk/durable-object'

interface CounterState {
  value: number
  /** What the counter had reached at each of its last resets, newest first. */
  previous: Array<{ total: number; endedAt: number }>
}

const KEEP_PREVIOUS = 5
/** The longest delay `scheduleReset` accepts: a day, the period of the automatic reset anyway. */
const MAX_DELAY_SECONDS = 24 * 60 * 60

/** Why `seconds` is not a delay `scheduleReset` accepts, or null if it is one. Routes check with it too. */
export function resetDelayProblem(seconds: number): string | null {
  if (Number.isFinite(seconds) && seconds > 0 && seconds <= MAX_DELAY_SECONDS) return null
  return `The reset delay must be more than 0 and at most ${MAX_DELAY_SECONDS} seconds, got ${seconds}.`
}

// One Counter per name: `durableObjects.Counter.getByName('home')`.
//
// It resets itself every midnight (UTC) with an alarm: the runtime wakes the object at the time
// set with `ctx.storage.setAlarm`, even if nobody has called it since, and even after a restart
// or a deploy. An object has one alarm at a time, so `scheduleReset` simply moves it.
export default defineDurableObject<CounterState>({
  async init(ctx) {
    await ctx.storage.setAlarm(nextMidnight())
    return { value: 0, previous: [] }
  },

  async alarm() {
    this.state.previous.unshift({ total: this.state.value, endedAt: Date.now() })
    this.state.previous.splice(KEEP_PREVIOUS)
    this.state.value = 0
    await this.ctx.storage.setAlarm(nextMidnight())
  },

  methods: {
    async increment(amount = 1) {
      this.state.value += amount
      return this.state.value
    },

    /** The counter as the page shows it, with the time of the next reset. */
    async get() {
      return { ...this.state, resetAt: await this.ctx.storage.getAlarm() }
    },

    /** Moves the next reset to `seconds` from now (until then, instead of midnight). */
    async scheduleReset(seconds: number) {
      const problem = resetDelayProblem(seconds)
      if (problem) throw new RangeError(problem)
      const resetAt = Date.now() + seconds * 1000
      await this.ctx.storage.setAlarm(resetAt)
      return resetAt
    },
  },
})

/** The next 00:00 UTC, in milliseconds since the epoch. */
function nextMidnight(now = Date.now()): number {
  const date = new Date(now)
  date.setUTCHours(24, 0, 0, 0)
  return date.getTime()
}
