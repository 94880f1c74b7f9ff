// Benchmark Worker for the reference chat room (the reference document's `chat-room.ts`): every
// message is pushed onto `messages`, the array is cut back to the last 1,000 with
// `slice(-1000)`, and the message is broadcast to every socket. Written three ways, all with
// the hibernation API: Cloudwerk (the reference code as it is), a plain DurableObject keeping the
// array in memory and rewriting it with `storage.put` per message, and a hand-written one that
// stores one SQLite row per message and deletes the oldest.
// A message may name another way to cut the array back (`trim`: 'shift', 'splice', or 'none' to
// let it grow), for the same turn done with those methods; without it, the reference code runs.
// Routes: /<impl>/<room> (WebSocket), /<impl>/<room>/count (stored messages), /ping.
// Bundled by run.mjs and flood.mjs.
import { DurableObject } from 'cloudflare:workers'
import { createDurableObjectClass, defineDurableObject } from '@cloudwerk/durable-object'

interface Message {
  user: string
  text: string
  timestamp: number
}

const KEEP = 1000

const upgrade = (ctx: DurableObjectState, request: Request) => {
  if (request.headers.get('Upgrade') !== 'websocket') return new Response('Expected WebSocket', { status: 426 })
  const username = new URL(request.url).searchParams.get('username') ?? 'Anonymous'
  const { 0: client, 1: server } = new WebSocketPair()
  ctx.acceptWebSocket(server, [username])
  return new Response(null, { status: 101, webSocket: client })
}

const sendToAll = (ctx: DurableObjectState, message: unknown) => {
  const text = JSON.stringify(message)
  for (const socket of ctx.getWebSockets()) {
    try {
      socket.send(text)
    } catch {
      // closing: its close handler runs next
    }
  }
}

// The reference chat room, handlers as the reference document writes them.
const chatRoom = defineDurableObject<{ messages: Message[] }>({
  init: () => ({ messages: [] }),
  async fetch(request) {
    if (new URL(request.url).pathname.endsWith('/count')) return Response.json(this.state.messages.length)
    return upgrade(this.ctx, request)
  },
  async webSocketMessage(ws, message) {
    const data = JSON.parse(message as string)
    const [username] = this.ctx.getTags(ws)
    if (data.type === 'message') {
      const msg = { user: username, text: data.text, timestamp: Date.now() }
      this.state.messages.push(msg)
      if (data.trim === 'shift') {
        if (this.state.messages.length > 1000) this.state.messages.shift()
      } else if (data.trim === 'splice') {
        if (this.state.messages.length > 1000) this.state.messages.splice(0, this.state.messages.length - 1000)
      } else if (data.trim !== 'none') {
        // Keep last 1000 messages
        if (this.state.messages.length > 1000) {
          this.state.messages = this.state.messages.slice(-1000)
        }
      }
      this.broadcast({ type: 'message', ...msg })
    }
  },
})

export class CloudwerkRoom extends createDurableObjectClass(chatRoom, { name: 'CloudwerkRoom' }) {}

/** The plain object: the array in memory, written whole with storage.put after each message. */
export class PlainRoom extends DurableObject {
  #messages: Message[] | undefined

  async fetch(request: Request): Promise<Response> {
    if (new URL(request.url).pathname.endsWith('/count')) return Response.json((await this.#load()).length)
    return upgrade(this.ctx, request)
  }

  async #load(): Promise<Message[]> {
    return (this.#messages ??= (await this.ctx.storage.get<Message[]>('messages')) ?? [])
  }

  async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    const data = JSON.parse(message as string)
    const [username] = this.ctx.getTags(ws)
    if (data.type !== 'message') return
    const msg = { user: username, text: data.text, timestamp: Date.now() }
    let messages = await this.#load()
    messages.push(msg)
    if (messages.length > KEEP && data.trim === 'shift') messages.shift()
    else if (messages.length > KEEP && data.trim === 'splice') messages.splice(0, messages.length - KEEP)
    else if (messages.length > KEEP && data.trim !== 'none') this.#messages = messages = messages.slice(-KEEP)
    await this.ctx.storage.put('messages', messages)
    sendToAll(this.ctx, { type: 'message', ...msg })
  }
}

/** The hand-written object: one row per message; the oldest rows are deleted past 1,000. */
export class RowsRoom extends DurableObject {
  constructor(ctx: DurableObjectState, env: unknown) {
    super(ctx, env)
    ctx.storage.sql.exec('CREATE TABLE IF NOT EXISTS messages (id INTEGER PRIMARY KEY, user TEXT, text TEXT, timestamp INTEGER)')
  }

  async fetch(request: Request): Promise<Response> {
    if (new URL(request.url).pathname.endsWith('/count'))
      return Response.json(this.ctx.storage.sql.exec('SELECT count(*) AS n FROM messages').one().n)
    return upgrade(this.ctx, request)
  }

  async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    const data = JSON.parse(message as string)
    const [username] = this.ctx.getTags(ws)
    if (data.type !== 'message') return
    const msg = { user: username, text: data.text, timestamp: Date.now() }
    const sql = this.ctx.storage.sql
    const { id } = sql
      .exec<{ id: number }>('INSERT INTO messages (user, text, timestamp) VALUES (?, ?, ?) RETURNING id', msg.user, msg.text, msg.timestamp)
      .one()
    sql.exec('DELETE FROM messages WHERE id <= ?', id - KEEP)
    sendToAll(this.ctx, { type: 'message', ...msg })
  }
}

interface Env {
  CloudwerkRoom: DurableObjectNamespace
  PlainRoom: DurableObjectNamespace
  RowsRoom: DurableObjectNamespace
}

const NAMESPACES = { cloudwerk: 'CloudwerkRoom', plain: 'PlainRoom', rows: 'RowsRoom' } as const

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const [, impl, name] = new URL(request.url).pathname.split('/')
    if (impl === 'ping') return new Response('pong')
    const binding = NAMESPACES[impl as keyof typeof NAMESPACES]
    if (!binding) return new Response('not found', { status: 404 })
    return env[binding].getByName(name).fetch(request)
  },
}
