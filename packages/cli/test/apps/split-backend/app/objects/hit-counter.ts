import { defineDurableObject } from '@cloudwerk/durable-object'

/** Exported, so the front's generated types import it rather than copy it. */
export interface Tally {
  page: string
  hits: number
}

export default defineDurableObject<{ hits: number }>({
  init: () => ({ hits: 0 }),
  methods: {
    async hit(by = 1) {
      this.state.hits += by
      return this.state.hits
    },
    async count() {
      return this.state.hits
    },
    async tally(page: string): Promise<Tally> {
      return { page, hits: this.state.hits }
    },
  },
})
