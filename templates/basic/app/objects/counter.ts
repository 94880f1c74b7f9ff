import { defineDurableObject } from '@cloudwerk/durable-object'

interface CounterState {
  value: number
  updatedAt: number
}

// One Counter per id: `durableObjects.Counter.getByName('home')`. Its state is saved after
// every call that changes it, and kept across restarts and deploys.
export default defineDurableObject<CounterState>({
  init: () => ({ value: 0, updatedAt: 0 }),
  methods: {
    async increment(amount = 1) {
      this.state.value += amount
      this.state.updatedAt = Date.now()
      return this.state.value
    },
    async getValue() {
      return this.state.value
    },
    async reset() {
      this.state.value = 0
      this.state.updatedAt = Date.now()
      return 0
    },
  },
})
