import { defineDurableObject } from '@cloudwerk/durable-object'

interface AuctionState {
  item: string
  open: boolean
  sweeps: number
  notified: string[]
}

export default defineDurableObject<AuctionState>({
  init: () => ({ item: '', open: false, sweeps: 0, notified: [] }),
  schedules: {
    sweep: { every: '30 minutes', run: 'sweep' },
  },
  methods: {
    async open(item: string, minutes: number) {
      this.state.item = item
      this.state.open = true
      this.schedule.after(minutes * 60_000, 'close', [], { key: 'close' })
    },
    async remind(user: string, at: number) {
      this.schedule.at(at, 'notify', [user], { key: `remind:${user}` })
    },
    async close() {
      this.state.open = false
    },
    async notify(user: string) {
      this.state.notified.push(user)
    },
    async sweep() {
      this.state.sweeps += 1
    },
    async status() {
      return this.state
    },
  },
})
