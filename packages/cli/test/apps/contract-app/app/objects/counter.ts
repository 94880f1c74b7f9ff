import { defineDurableObject } from '@cloudwerk/durable-object'

export default defineDurableObject<{ value: number }>({
  init: () => ({ value: 0 }),
  methods: {
    async increment(amount = 1) {
      this.state.value += amount
      return this.state.value
    },
  },
  async fetch() {
    const pair = new WebSocketPair()
    this.ctx.acceptWebSocket(pair[1])
    return new Response(null, { status: 101, webSocket: pair[0] })
  },
  async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer) {
    this.state.value += 1
    ws.send(`${message} ${this.state.value}`)
  },
})
