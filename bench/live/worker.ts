// One chat room, two ways of keeping browsers in sync with it: a Cloudwerk object with
// `client: { state: ['messages'] }` (per-key deltas) and an Agents SDK Agent (`setState`, which
// sends the whole state to every client). Bundled by run.mjs.
import { createDurableObjectClass, defineDurableObject } from '@cloudwerk/durable-object'
import { wrapNamespace } from '../../packages/core/src/object-namespace'
import { DurableObject } from 'cloudflare:workers'
import { Agent, getAgentByName, routeAgentRequest } from 'agents'

export interface Message {
  user: string
  text: string
  at: number
}

const room = defineDurableObject<{ messages: Message[] }>({
  init: () => ({ messages: [] }),
  client: { state: ['messages'], methods: ['send'] },
  methods: {
    async fill(messages: Message[]) {
      this.state.messages.push(...messages)
      return this.state.messages.length
    },
    async send(message: Message) {
      this.state.messages.push(message)
    },
  },
})

export class CloudwerkRoom extends createDurableObjectClass(room, { name: 'CloudwerkRoom' }) {}

/** The Agents SDK's own way: state in `setState`, synced whole to every connected client. */
export class AgentRoom extends Agent<Record<string, unknown>, { messages: Message[] }> {
  initialState = { messages: [] as Message[] }
  async fill(messages: Message[]): Promise<number> {
    this.setState({ messages: [...this.state.messages, ...messages] })
    return this.state.messages.length
  }
  async send(message: Message): Promise<void> {
    this.setState({ messages: [...this.state.messages, message] })
  }
}

/**
 * The hand-written baseline for fan-out: a hibernating room that stores the message as one row
 * and sends every socket the same frame Cloudwerk would (the new item only).
 */
export class HandRoom extends DurableObject {
  #count = -1
  async fetch(): Promise<Response> {
    const [client, server] = Object.values(new WebSocketPair())
    this.ctx.acceptWebSocket(server)
    return new Response(null, { status: 101, webSocket: client })
  }
  async send(message: Message): Promise<void> {
    const sql = this.ctx.storage.sql
    sql.exec('CREATE TABLE IF NOT EXISTS messages (position INTEGER PRIMARY KEY, value TEXT NOT NULL)')
    if (this.#count < 0) this.#count = sql.exec<{ n: number }>('SELECT count(*) AS n FROM messages').one().n
    const json = JSON.stringify(message)
    sql.exec('INSERT INTO messages (position, value) VALUES (?, ?)', this.#count, json)
    const frame = `{"v":${this.#count + 1},"p":{"messages":[[${this.#count},0,${json}]]}}`
    this.#count++
    for (const ws of this.ctx.getWebSockets()) ws.send(frame)
  }
}

interface Env {
  HandRoom: DurableObjectNamespace<HandRoom>
  CloudwerkRoom: DurableObjectNamespace
  AgentRoom: DurableObjectNamespace<AgentRoom>
}

export default {
  async fetch(request: Request, env: Env) {
    const url = new URL(request.url)
    const cloudwerk = wrapNamespace(env.CloudwerkRoom, 'CloudwerkRoom') as { getByName(name: string): any }
    if (url.pathname === '/cloudwerk/connect')
      return cloudwerk.getByName(url.searchParams.get('room') ?? 'bench').connectClient(request, { user: 'bench' })
    if (url.pathname === '/hand/connect') return env.HandRoom.getByName('fanout').fetch(request)
    if (url.pathname === '/fanout') {
      const { impl, message } = (await request.json()) as { impl: string; message: Message }
      if (impl === 'hand') await env.HandRoom.getByName('fanout').send(message)
      else await cloudwerk.getByName('fanout').send(message)
      return Response.json(null)
    }
    if (url.pathname === '/fill' || url.pathname === '/send') {
      const body = (await request.json()) as { impl: string; room?: string; messages: Message[] }
      const stub = body.impl === 'cloudwerk' ? cloudwerk.getByName(body.room ?? 'bench') : await getAgentByName(env.AgentRoom, 'bench')
      const result = url.pathname === '/fill' ? await stub.fill(body.messages) : await stub.send(body.messages[0])
      return Response.json(result ?? null)
    }
    return (await routeAgentRequest(request, env)) ?? new Response('not found', { status: 404 })
  },
}
