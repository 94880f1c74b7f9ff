// One chat room, two ways of keeping browsers in sync with it: a Cloudwerk object with
// `client: { state: ['messages'] }` (per-key deltas) and an Agents SDK Agent (`setState`, which
// sends the whole state to every client). Bundled by run.mjs.
import { createDurableObjectClass, defineDurableObject } from '@cloudwerk/durable-object'
import { wrapNamespace } from '../../packages/core/src/object-namespace'
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

interface Env {
  CloudwerkRoom: DurableObjectNamespace
  AgentRoom: DurableObjectNamespace<AgentRoom>
}

export default {
  async fetch(request: Request, env: Env) {
    const url = new URL(request.url)
    const cloudwerk = wrapNamespace(env.CloudwerkRoom, 'CloudwerkRoom') as { getByName(name: string): any }
    if (url.pathname === '/cloudwerk/connect') return cloudwerk.getByName('bench').connectClient(request, { user: 'bench' })
    if (url.pathname === '/fill' || url.pathname === '/send') {
      const body = (await request.json()) as { impl: string; messages: Message[] }
      const stub = body.impl === 'cloudwerk' ? cloudwerk.getByName('bench') : await getAgentByName(env.AgentRoom, 'bench')
      const result = url.pathname === '/fill' ? await stub.fill(body.messages) : await stub.send(body.messages[0])
      return Response.json(result ?? null)
    }
    return (await routeAgentRequest(request, env)) ?? new Response('not found', { status: 404 })
  },
}
