import { defineDurableObject } from '@cloudwerk/durable-object'

// Version 1 of the note; the dry-run test replaces this file with version 2.
export default defineDurableObject<{ text: string }>({
  init: () => ({ text: '' }),
  methods: {
    async write(text: string) {
      this.state.text = text
    },
    async read() {
      return this.state
    },
  },
})
