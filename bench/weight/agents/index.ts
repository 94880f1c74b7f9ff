// The counter app with the Agents SDK: an Agent with initialState/setState, reached through
// getAgentByName, the stub helper it documents for calls from a Worker.
import { Agent, getAgentByName } from 'agents'

export class Counter extends Agent<Record<string, unknown>, { value: number }> {
  initialState = { value: 0 }

  async increment(amount = 1): Promise<number> {
    this.setState({ value: this.state.value + amount })
    return this.state.value
  }
}

export default {
  async fetch(request: Request, env: { Counter: DurableObjectNamespace<Counter> }): Promise<Response> {
    const match = /^\/api\/counter\/([^/]+)$/.exec(new URL(request.url).pathname)
    if (!match) return new Response('Not Found', { status: 404 })
    if (request.method !== 'POST') return new Response('Method Not Allowed', { status: 405, headers: { allow: 'POST' } })
    const counter = await getAgentByName(env.Counter, decodeURIComponent(match[1]))
    return Response.json({ value: await counter.increment(1) })
  },
}
