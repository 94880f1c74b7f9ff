import { defineDurableObject } from '@cloudwerk/durable-object'

export default defineDurableObject<{ value: number }>({
  init: () => ({ value: 0 }),
  methods: {
    async increment(amount = 1) {
      this.state.value += amount
      return this.state.value
    },
  },
})
