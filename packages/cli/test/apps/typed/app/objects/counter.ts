import { defineDurableObject } from '@cloudwerk/durable-object'

interface CounterState {
  value: number
}

export default defineDurableObject<CounterState>({
  init: () => ({ value: 0 }),
  methods: {
    async increment(amount = 1) {
      this.state.value += amount
      return this.state.value
    },
    async getValue() {
      return this.state.value
    },
  },
})
