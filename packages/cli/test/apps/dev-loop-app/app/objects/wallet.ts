import { defineDurableObject } from '@cloudwerk/durable-object'

export default defineDurableObject({
  init: () => ({ entries: [] as string[] }),
  methods: {
    async summary() {
      const last = (this.state as { history?: string[] }).history
      return last!.at(-1)
    },
  },
  async fetch() {
    const pair = new WebSocketPair()
    this.ctx.acceptWebSocket(pair[1])
    return new Response(null, { status: 101, webSocket: pair[0] })
  },
  async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer) {
    const entry = JSON.parse(message as string) as string
    this.state.entries.push(entry)
    ws.send(JSON.stringify(this.state.entries.length))
  },
})
