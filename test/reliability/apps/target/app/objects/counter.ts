import { defineDurableObject } from '@cloudwerk/durable-object'

export default defineDurableObject<{ value: number }>({
  init: () => ({ value: 0 }),
  methods: {
    async increment(amount = 1) {
      // An await between read and write: a second call may arrive meanwhile, and must not
      // read the same value (turns are queued per object).
      const before = this.state.value
      await new Promise((resolve) => setTimeout(resolve, 1))
      this.state.value = before + amount
      return this.state.value
    },
    async read() {
      return this.state.value
    },
  },
})
