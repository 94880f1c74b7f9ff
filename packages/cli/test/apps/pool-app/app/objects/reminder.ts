import { defineDurableObject } from '@cloudwerk/durable-object'

export default defineDurableObject<{ fired: number; note: string }>({
  init: () => ({ fired: 0, note: '' }),
  async alarm() {
    this.state.fired += 1
  },
  methods: {
    async setReminder(note: string) {
      this.state.note = note
      await this.ctx.storage.setAlarm(Date.now() + 60 * 60 * 1000)
    },
    async fired() {
      return this.state.fired
    },
  },
})
