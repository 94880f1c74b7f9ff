import { defineDurableObject } from '@cloudwerk/durable-object'
import type { ChatMessage, ClientFrame, Member, ServerFrame } from '../shared/chat'

export type { ChatMessage, Member }

interface ChatRoomState {
  messages: ChatMessage[]
}

/** How many messages a room keeps; older ones are dropped as new ones arrive. */
const HISTORY_LIMIT = 100
const MAX_TEXT_LENGTH = 1000

// One ChatRoom per room name: `durableObjects.ChatRoom.getByName('lobby')`.
//
// The sockets use the hibernation API (`ctx.acceptWebSocket`): when the room is idle, the runtime
// may drop it from memory while every socket stays connected, and wake it for the next message.
// Anything kept in a variable would be gone by then, so each socket carries its member as an
// attachment and its username as a tag, and `this.state` holds the messages.
export default defineDurableObject<ChatRoomState>({
  init: () => ({ messages: [] }),

  // Reached through GET /api/rooms/:room, which has checked ?username= already.
  async fetch(request) {
    if (request.headers.get('Upgrade')?.toLowerCase() !== 'websocket') {
      return new Response('Expected a WebSocket upgrade (GET /api/rooms/:room?username=...)', { status: 426 })
    }
    const username = new URL(request.url).searchParams.get('username') ?? 'anonymous'
    const { 0: client, 1: server } = new WebSocketPair()
    this.ctx.acceptWebSocket(server, [username])
    const member: Member = { username, joinedAt: Date.now() }
    server.serializeAttachment(member)

    const online = onlineMembers(this.ctx.getWebSockets())
    server.send(JSON.stringify({ type: 'welcome', you: member, online, messages: this.state.messages } satisfies ServerFrame))
    // A second tab of the same user is not news to the others.
    if (this.ctx.getWebSockets(username).length === 1) this.broadcast({ type: 'joined', username, online } satisfies ServerFrame, server)
    return new Response(null, { status: 101, webSocket: client })
  },

  async webSocketMessage(ws, data) {
    const text = readText(data)
    if (!text) {
      ws.send(
        JSON.stringify({
          type: 'error',
          error: `Send {"type":"message","text":"..."} with 1 to ${MAX_TEXT_LENGTH} characters of text.`,
        } satisfies ServerFrame),
      )
      return
    }
    const { username } = ws.deserializeAttachment() as Member
    const message: ChatMessage = { user: username, text, sentAt: Date.now() }
    this.state.messages.push(message)
    if (this.state.messages.length > HISTORY_LIMIT) this.state.messages.splice(0, this.state.messages.length - HISTORY_LIMIT)
    this.broadcast({ type: 'message', message } satisfies ServerFrame)
  },

  async webSocketClose(ws, code, reason) {
    // Finish the closing handshake. 1005 (no code given) and 1006 (connection lost) are only
    // reported to us and cannot be sent back, so those get a normal close.
    ws.close(code === 1005 || code === 1006 ? 1000 : code, reason)
    const { username } = ws.deserializeAttachment() as Member
    const othersWithName = this.ctx.getWebSockets(username).filter((socket) => socket !== ws)
    if (othersWithName.length) return
    this.broadcast({ type: 'left', username, online: onlineMembers(this.ctx.getWebSockets(), ws) } satisfies ServerFrame, ws)
  },

  methods: {
    /** What GET /api/rooms/:room shows. */
    async getRoom() {
      return { online: onlineMembers(this.ctx.getWebSockets()), messages: this.state.messages }
    },
  },
})

/**
 * The members behind `sockets`, one per username (the earliest join), by name. `leaving` is left
 * out: a socket that is closing is still listed by the runtime until its close handler returns.
 */
function onlineMembers(sockets: WebSocket[], leaving?: WebSocket): Member[] {
  const byName = new Map<string, Member>()
  for (const socket of sockets) {
    if (socket === leaving) continue
    const member = socket.deserializeAttachment() as Member
    const known = byName.get(member.username)
    if (!known || member.joinedAt < known.joinedAt) byName.set(member.username, member)
  }
  return [...byName.values()].sort((a, b) => a.username.localeCompare(b.username))
}

/** The text of a `{ "type": "message", "text": "..." }` frame, trimmed, or null if it is not one. */
function readText(data: string | ArrayBuffer): string | null {
  if (typeof data !== 'string') return null
  try {
    // Checked field by field: the page is not the only thing that can send frames.
    const frame = JSON.parse(data) as { [key in keyof ClientFrame]?: unknown }
    if (frame.type !== 'message' || typeof frame.text !== 'string') return null
    const text = frame.text.trim()
    return text.length > 0 && text.length <= MAX_TEXT_LENGTH ? text : null
  } catch {
    return null
  }
}
