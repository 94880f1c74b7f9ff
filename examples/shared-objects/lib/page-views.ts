import { defineDurableObject } from '@cloudwerk/durable-object'

// Defined outside app/objects (shared with other code, say); app/objects/page-views.ts exports it.
export const pageViews = defineDurableObject<{ views: number }>({
  init: () => ({ views: 0 }),
  methods: {
    async view() {
      this.state.views += 1
      return this.state.views
    },
  },
})
