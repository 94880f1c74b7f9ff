// Benchmark Worker for WebSocket fan-out: one room that sends every message it receives to every
// connected socket, written three ways, all with the hibernation API: Cloudwerk
// (defineDurableObject, ctx.acceptWebSocket, this.broadcast), by hand (ctx.acceptWebSocket and a
// loop over ctx.getWebSockets()), and PartyServer (a hibernating Server, this.broadcast).
// Routes: /cloudwerk/<room>, /hand/<room>, /parties/party-room/<room>. Bundled by run.mjs.
import { DurableObject } from 'cloudflare:workers'
import { createDurableObjectClass, defineDurableObject } from '@cloudwerk/durable-object'
import { routePartykitRequest, Server, type Connection, type WSMessage } from 'partyserver'

const room = defineDurableObject({
  async fetch(request) {
    if (request.headers.get('Upgrade') !== 'websocket') return new Response('expected a WebSocket', { status: 426 })
    const { 0: client, 1: server } = new WebSocketPair()
    this.ctx.acceptWebSocket(server)
    return new Response(null, { status: 101, webSocket: client })
  },
  async webSocketMessage(_ws, message) {
    this.broadcast(message)
  },
  async webSocketClose(ws, code, reason) {
    ws.close(code === 1005 || code === 1006 ? 1000 : code, reason)
  },
})

export class CloudwerkRoom extends createDurableObjectClass(room, { name: 'CloudwerkRoom' }) {}

/** The hand-written hibernating room. */
export class HandRoom extends DurableObject {
  async fetch(request: Request): Promise<Response> {
    if (request.headers.get('Upgrade') !== 'websocket') return new Response('expected a WebSocket', { status: 426 })
    const { 0: client, 1: server } = new WebSocketPair()
    this.ctx.acceptWebSocket(server)
    return new Response(null, { status: 101, webSocket: client })
  }

  async webSocketMessage(_ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    for (const socket of this.ctx.getWebSockets()) {
      try {
        socket.send(message)
      } catch {
        // closing: its close handler runs next
      }
    }
  }

  async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    ws.close(code === 1005 || code === 1006 ? 1000 : code, reason)
  }
}

export class PartyRoom extends Server {
  static options = { hibernate: true }

  onMessage(_connection: Connection, message: WSMessage): void {
    this.broadcast(message)
  }
}

interface Env {
  CloudwerkRoom: DurableObjectNamespace
  HandRoom: DurableObjectNamespace
  PartyRoom: DurableObjectNamespace<PartyRoom>
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const [, impl, name] = new URL(request.url).pathname.split('/')
    if (impl === 'cloudwerk') return env.CloudwerkRoom.getByName(name).fetch(request)
    if (impl === 'hand') return env.HandRoom.getByName(name).fetch(request)
    return (await routePartykitRequest(request, env as never)) ?? new Response('not found', { status: 404 })
  },
}
