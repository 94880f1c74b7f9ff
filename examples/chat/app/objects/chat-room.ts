import { durableObjects } from '@cloudwerk/core/bindings'
import { defineDurableObject, type ObjectThis } from '@cloudwerk/durable-object'

import type { Message, ServerFrame } from '../shared/frames'

export type { Message }

interface ChatRoomState {
  topic: string
}

const MAX_TEXT = 2000
const MAX_TOPIC = 120
/** How many messages a newcomer gets; older ones are read page by page (getMessages). */
const RECENT = 30
/** A message starting with this is a question for the responder. */
const ASK = '/ask '
const RESPONDER = 'responder'

// One ChatRoom per room name. What it keeps, and where:
// - messages: in its SQLite database, all of them, read back a page at a time;
// - the topic: in this.state, saved when the call that changed it ends;
// - who is online: nowhere but the sockets. Each is accepted with its username as a tag, and
//   tags survive hibernation (the room leaving memory while people stay connected), so
//   getWebSockets() and getTags() answer correctly after every wake-up.
// A message that starts with "/ask " is also sent to the responder (RESPONDER_URL, a slow service
// such as a model), whose answer is posted as a message from "responder" while the chat goes on.
export default defineDurableObject<ChatRoomState>({
  sqlite: true,

  init(ctx) {
    ctx.sql.run(`
      CREATE TABLE IF NOT EXISTS messages (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        user TEXT NOT NULL,
        text TEXT NOT NULL,
        sent_at INTEGER NOT NULL
      )
    `)
    return { topic: '' }
  },

  // GET /api/rooms/:room with `Upgrade: websocket` lands here, ?username= checked by the route.
  async fetch(request) {
    const username = new URL(request.url).searchParams.get('username')
    if (request.headers.get('Upgrade')?.toLowerCase() !== 'websocket' || !username) {
      return new Response('Join with a WebSocket: GET /api/rooms/:room?username=...', { status: 426 })
    }
    const { 0: client, 1: server } = new WebSocketPair()
    this.ctx.acceptWebSocket(server, [username])
    const online = usernames(this)
    server.send(
      JSON.stringify({
        type: 'hello',
        you: username,
        topic: this.state.topic,
        online,
        recent: readMessages(this, RECENT),
      } satisfies ServerFrame),
    )
    // Someone opening a second tab has not just joined.
    if (this.ctx.getWebSockets(username).length === 1) {
      this.broadcast({ type: 'presence', online, joined: username } satisfies ServerFrame, server)
      await reportToLobby(this, online.length)
    }
    return new Response(null, { status: 101, webSocket: client })
  },

  // From a member: say { text }, typing, topic { topic }. To members: hello (on joining), said,
  // presence, typing, topic, and oops for a frame that is none of those.
  async webSocketMessage(ws, data) {
    const [username] = this.ctx.getTags(ws)
    const frame = typeof data === 'string' ? parseJson(data) : null
    switch (frame?.type) {
      case 'typing':
        // Not stored: it only matters to whoever is connected right now.
        this.broadcast({ type: 'typing', username } satisfies ServerFrame, ws)
        return
      case 'say': {
        const text = typeof frame.text === 'string' ? frame.text.trim() : ''
        if (!text || text.length > MAX_TEXT) break
        this.broadcast({ type: 'said', message: storeMessage(this, username, text) } satisfies ServerFrame)
        if (text.startsWith(ASK)) await askResponder(this, ws, text.slice(ASK.length))
        return
      }
      case 'topic': {
        if (typeof frame.topic !== 'string' || frame.topic.length > MAX_TOPIC) break
        this.state.topic = frame.topic.trim()
        this.broadcast({ type: 'topic', topic: this.state.topic, by: username } satisfies ServerFrame)
        return
      }
    }
    const error =
      `Unknown or invalid frame. Send {"type":"say","text":"…"} (at most ${MAX_TEXT} characters), ` +
      `{"type":"typing"} or {"type":"topic","topic":"…"} (at most ${MAX_TOPIC}).`
    ws.send(JSON.stringify({ type: 'oops', error } satisfies ServerFrame))
  },

  async webSocketClose(ws, code, reason) {
    // Finish the closing handshake; 1005 and 1006 are only reported to us and cannot be sent.
    ws.close(code === 1005 || code === 1006 ? 1000 : code, reason)
    const [username] = this.ctx.getTags(ws)
    const online = usernames(this, ws)
    // Someone with a second tab open has not left.
    if (online.includes(username)) return
    this.broadcast({ type: 'presence', online, left: username } satisfies ServerFrame, ws)
    await reportToLobby(this, online.length)
  },

  methods: {
    /** The topic and who is online, for GET /api/rooms/:room. */
    async getOverview() {
      return { topic: this.state.topic, online: usernames(this) }
    },

    /** Up to `limit` messages sent before message `before` (or the latest), oldest first. */
    async getMessages(before?: number, limit = RECENT): Promise<Message[]> {
      return readMessages(this, limit, before)
    },
  },
})

type Room = ObjectThis<ChatRoomState>

/** The names of the people connected, each once, sorted; `leaving` is a socket being closed. */
function usernames(room: Room, leaving?: WebSocket): string[] {
  const sockets = room.ctx.getWebSockets().filter((socket) => socket !== leaving)
  return [...new Set(sockets.map((socket) => room.ctx.getTags(socket)[0]))].sort()
}

/**
 * Sends a question to the responder and posts its answer. The wait happens in this.outside: the
 * question's message is already stored and sent, and the room keeps taking messages, joins and
 * leaves from everyone else until the answer arrives; then the answer is stored and sent as a
 * message of its own.
 */
async function askResponder(room: Room, asker: WebSocket, question: string): Promise<void> {
  const url = room.env.RESPONDER_URL
  if (typeof url !== 'string' || !url) {
    asker.send(JSON.stringify({ type: 'oops', error: 'No responder here: set RESPONDER_URL (in .dev.vars) to ask one.' }))
    return
  }
  let answer: string
  try {
    answer = await room.outside(async () => {
      const response = await fetch(url, { method: 'POST', body: question })
      if (!response.ok) throw new Error(`it answered ${response.status}`)
      return (await response.text()).slice(0, MAX_TEXT)
    })
  } catch (error) {
    try {
      asker.send(JSON.stringify({ type: 'oops', error: `The responder did not answer: ${(error as Error).message}` }))
    } catch {
      // The asker left while waiting.
    }
    return
  }
  room.broadcast({ type: 'said', message: storeMessage(room, RESPONDER, answer) } satisfies ServerFrame)
}

/** Stores a message; returns it with its id. */
function storeMessage(room: Room, user: string, text: string): Message {
  const sentAt = Date.now()
  const { id } = room.ctx.sql.one<{ id: number }>('INSERT INTO messages (user, text, sent_at) VALUES (?, ?, ?) RETURNING id', [
    user,
    text,
    sentAt,
  ])!
  return { id, user, text, sentAt }
}

function readMessages(room: Room, limit: number, before = Number.MAX_SAFE_INTEGER): Message[] {
  return room.ctx.sql
    .exec<Message>('SELECT id, user, text, sent_at AS sentAt FROM messages WHERE id < ? ORDER BY id DESC LIMIT ?', [before, limit])
    .toArray()
    .reverse()
}

/**
 * Tells the Lobby how many people are in the room. Awaited: calls to a room run one at a time, so
 * its reports reach the lobby in order (one sent in the background could overtake the one
 * before it). Joins and leaves are rare enough for the wait not to matter; messages never wait.
 * A lobby that cannot be reached must not stop anyone from joining, so its failure is only logged.
 */
async function reportToLobby(room: Room, online: number): Promise<void> {
  const name = room.ctx.id.name
  if (!name) return
  try {
    await durableObjects.Lobby.getByName('main').roomChanged(name, online)
  } catch (error) {
    console.error(`ChatRoom ${name}: the lobby missed an update`, error)
  }
}

function parseJson(data: string): Record<string, unknown> | null {
  try {
    return JSON.parse(data)
  } catch {
    return null
  }
}
