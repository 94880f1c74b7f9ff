// A method named `schedule` beside the `this.schedule` API (handler-this.ts withScheduleApi): at
// run time `this.schedule(...)` calls the method and `this.schedule.after(...)` is still the API;
// without such a method, `this.schedule` is the API alone and calling it throws. The types say
// the same, whether the methods are inferred or the state is given (`defineDurableObject<State>`).
import { defineDurableObject, type ObjectSchedule } from '@cloudwerk/durable-object'

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false
function expectType<T extends true>(): void {}

interface ReminderState {
  fired: number
}

// The reference guide's Reminder, with the state given: its method is named schedule.
export const reminder = defineDurableObject<ReminderState>({
  init: () => ({ fired: 0 }),
  async alarm() {
    this.state.fired += 1
    await this.schedule(60_000) // the method, from a handler too
  },
  methods: {
    async schedule(ms: number) {
      await this.ctx.storage.setAlarm(Date.now() + ms)
      return this.ctx.storage.getAlarm()
    },
    async remindTwice(ms: number) {
      const at = await this.schedule(ms)
      const key: string = this.schedule.after(ms * 2, 'schedule', [ms], { key: 'second' })
      const cancelled: boolean = this.schedule.cancel(key)
      return { at, cancelled, pending: this.schedule.list().length }
    },
  },
})

// The same with the methods inferred: the call is typed as the method is.
export const inferred = defineDurableObject({
  init: () => ({ fired: 0 }),
  methods: {
    async schedule(ms: number) {
      await this.ctx.storage.setAlarm(Date.now() + ms)
      return this.ctx.storage.getAlarm()
    },
    async remindTwice(ms: number) {
      expectType<Equal<ReturnType<typeof this.schedule>, Promise<number | null>>>()
      // @ts-expect-error the method takes a number
      await this.schedule('soon')
      const key: string = this.schedule.at(new Date(Date.now() + ms), 'remindTwice', [ms])
      expectType<Equal<typeof this.schedule.list, ObjectSchedule['list']>>()
      return key
    },
  },
})

// No method named schedule: this.schedule is the API, and calling it is an error, as at run time.
export const plain = defineDurableObject({
  init: () => ({ fired: 0 }),
  methods: {
    async later() {
      const key: string = this.schedule.after(1000, 'later')
      // @ts-expect-error this.schedule is not a method here
      this.schedule(1000)
      return key
    },
  },
})
