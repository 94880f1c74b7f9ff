import { defineDurableObject } from '@cloudwerk/durable-object'

// Which instance of the object answers: `this.ctx` is made anew for every instance, so after an
// eviction (hibernation) the number goes up while the state and the sockets stay.
const instances = new WeakMap<object, number>()
let lastInstance = 0
const instanceOf = (ctx: object) => instances.get(ctx) ?? (instances.set(ctx, ++lastInstance), lastInstance)

// A room where every frame `{ type: 'say', id }` is broadcast to everyone (the sender too), so
// each client can check it heard every message exactly once. Each socket carries its user as a
// tag and an attachment (serializeAttachment), both of which must survive hibernation.
export default defineDurableObject<{ said: number; joins: number }>({
  init(ctx) {
    ctx.sql.run('CREATE TABLE IF NOT EXISTS init_log (at INTEGER)')
    ctx.sql.run('INSERT INTO init_log (at) VALUES (?)', [Date.now()])
    return { said: 0, joins: 0 }
  },
  async fetch(request) {
    const user = new URL(request.url).searchParams.get('user')
    if (request.headers.get('Upgrade')?.toLowerCase() !== 'websocket' || !user) {
      return new Response('Connect with a WebSocket and ?user=', { status: 426 })
    }
    const { 0: client, 1: server } = new WebSocketPair()
    this.ctx.acceptWebSocket(server, [user])
    this.state.joins += 1
    server.serializeAttachment({ user, joinNumber: this.state.joins })
    server.send(JSON.stringify({ type: 'welcome', user }))
    return new Response(null, { status: 101, webSocket: client })
  },
  async webSocketMessage(ws, data) {
    const frame = typeof data === 'string' ? (JSON.parse(data) as { type: string; id?: string }) : { type: 'binary' }
    if (frame.type === 'say') {
      this.state.said += 1
      this.broadcast({ type: 'said', from: this.ctx.getTags(ws)[0], id: frame.id })
    } else if (frame.type === 'whoami') {
      const initRuns = this.ctx.sql.one<{ n: number }>('SELECT count(*) AS n FROM init_log')?.n
      ws.send(JSON.stringify({ type: 'you', attachment: ws.deserializeAttachment(), tags: this.ctx.getTags(ws), said: this.state.said, initRuns, instance: instanceOf(this.ctx) }))
    }
  },
  async webSocketClose(ws, code, reason) {
    ws.close(code === 1005 || code === 1006 ? 1000 : code, reason)
  },
  methods: {
    async stats() {
      const initRuns = this.ctx.sql.one<{ n: number }>('SELECT count(*) AS n FROM init_log')?.n
      return { said: this.state.said, joins: this.state.joins, sockets: this.ctx.getWebSockets().length, initRuns }
    },
  },
})
