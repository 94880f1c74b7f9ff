import { defineDurableObject } from '@cloudwerk/durable-object'

export default defineDurableObject<{ value: number }>({
  init: () => ({ value: 0 }),
  methods: {
    async increment() {
      this.state.value += 1
      return this.state.value
    },
    async read() {
      return this.state.value
    },
  },
})
