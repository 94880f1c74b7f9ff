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
    async status() {
      return { fired: this.state.fired, note: this.state.note, alarm: await this.ctx.storage.getAlarm() }
    },
    async fail(reason: string) {
      this.state.note = 'changed before the throw'
      throw new Error(`refused: ${reason}`)
    },
  },
})
