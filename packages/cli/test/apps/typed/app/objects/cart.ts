import { defineDurableObject } from '@cloudwerk/durable-object'

interface Item {
  productId: string
  quantity: number
}
export interface Receipt {
  count: number
  at: number
}

export default defineDurableObject<{ items: Item[] }>({
  init: () => ({ items: [] }),
  methods: {
    async addItem(productId: string, quantity: number) {
      this.state.items.push({ productId, quantity })
      return this.state.items
    },
    async find(query: { productId?: string } | string): Promise<Item | undefined> {
      const id = typeof query === 'string' ? query : query.productId
      return this.state.items.find((i) => i.productId === id)
    },
    async checkout(...notes: string[]): Promise<Receipt> {
      const count = this.state.items.length + notes.length
      this.state.items = []
      return { count, at: Date.now() }
    },
    sync(flag: boolean) {
      return flag ? ('yes' as const) : 0
    },
  },
})
