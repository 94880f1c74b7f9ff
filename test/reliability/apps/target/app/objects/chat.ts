import { defineDurableObject } from '@cloudwerk/durable-object'

// The reference document's chat room: every message is pushed onto `messages`, the array is cut
// back to the last 1,000 with `slice(-1000)`, and the message is broadcast to everyone. The soak
// floods it (test/reliability/soak.mjs, support/flood.mjs).
interface ChatState {
  messages: Array<{ user: string; text: string; timestamp: number }>
}

export default defineDurableObject<ChatState>({
  init: () => ({ messages: [] }),
  async fetch(request) {
    if (request.headers.get('Upgrade') !== 'websocket') return new Response('Expected WebSocket', { status: 426 })
    const username = new URL(request.url).searchParams.get('username') ?? 'Anonymous'
    const { 0: client, 1: server } = new WebSocketPair()
    this.ctx.acceptWebSocket(server, [username])
    return new Response(null, { status: 101, webSocket: client })
  },
  async webSocketMessage(ws, message) {
    const data = JSON.parse(message as string)
    const [username] = this.ctx.getTags(ws)
    if (data.type === 'message') {
      const msg = { user: username, text: data.text, timestamp: Date.now() }
      this.state.messages.push(msg)
      // Keep last 1000 messages
      if (this.state.messages.length > 1000) {
        this.state.messages = this.state.messages.slice(-1000)
      }
      this.broadcast({ type: 'message', ...msg })
    }
  },
  async webSocketClose(ws, code, reason) {
    ws.close(code === 1005 || code === 1006 ? 1000 : code, reason)
  },
  methods: {
    async stored() {
      return { count: this.state.messages.length, last: this.state.messages.at(-1)?.text ?? null }
    },
  },
})
