import { defineDurableObject, type ObjectThis } from '@cloudwerk/durable-object'
import type { Edit, EditResult, HistoryEntry, ServerFrame } from '../shared/doc'

interface SharedDocState {
  content: string
  version: number
}

export type { Edit, EditResult, HistoryEntry }

const MAX_LENGTH = 100_000

// One SharedDoc per document id: `durableObjects.SharedDoc.getByName('notes')`.
//
// Every edit names the version it was made on (`base`). Edits are applied one at a time, so an
// edit made on an older version than the current one is refused as stale: its author has missed
// a change, receives it, and sends the edit again on top of it (client/doc.ts does that).
// `this.state` holds the current text; the `edits` table holds every change, for the history
// and for reading the document as it was at any version.
export default defineDurableObject<SharedDocState>({
  sqlite: true,

  init(ctx) {
    ctx.sql.run(`
      CREATE TABLE IF NOT EXISTS edits (
        version INTEGER PRIMARY KEY,
        author TEXT NOT NULL,
        position INTEGER NOT NULL,
        removed INTEGER NOT NULL,
        inserted TEXT NOT NULL,
        edited_at INTEGER NOT NULL
      )
    `)
    return { content: '', version: 0 }
  },

  // Reached through GET /api/docs/:id with `Upgrade: websocket`; the route has checked ?author=.
  async fetch(request) {
    if (request.headers.get('Upgrade')?.toLowerCase() !== 'websocket') {
      return new Response('Expected a WebSocket upgrade (GET /api/docs/:id?author=...)', { status: 426 })
    }
    const author = new URL(request.url).searchParams.get('author') ?? 'anonymous'
    const { 0: client, 1: server } = new WebSocketPair()
    // The hibernation API, with the author on the socket: an idle document may leave memory
    // while its editors stay connected.
    this.ctx.acceptWebSocket(server)
    server.serializeAttachment({ author })
    server.send(JSON.stringify({ type: 'snapshot', content: this.state.content, version: this.state.version } satisfies ServerFrame))
    return new Response(null, { status: 101, webSocket: client })
  },

  // Frames: { type: 'edit', base, position, removed, inserted }. The sender gets `ack` or
  // `rejected`; everyone else gets the edit with its new version.
  async webSocketMessage(ws, data) {
    const { author } = ws.deserializeAttachment() as { author: string }
    const frame = parseFrame(data)
    const result = frame
      ? commitEdit(this, frame.base, frame, author, ws)
      : invalid(this.state.version, 'Send {"type":"edit","base":…,"position":…,"removed":…,"inserted":"…"} as JSON.')
    const { ok, ...rest } = result
    try {
      ws.send(JSON.stringify({ type: ok ? 'ack' : 'rejected', ...rest } as ServerFrame))
    } catch {
      // The sender is already gone. Throwing would undo the state change of this call but not the
      // history row written with it, so the edit stands and its sender simply misses the ack.
    }
  },

  async webSocketClose(ws, code, reason) {
    // Finish the closing handshake; 1005 and 1006 are only reported to us and cannot be sent.
    ws.close(code === 1005 || code === 1006 ? 1000 : code, reason)
  },

  methods: {
    /** Applies `edit`, made on version `base`, and sends it to every connected editor. */
    async edit(base: number, edit: Edit, author: string): Promise<EditResult> {
      return commitEdit(this, base, edit, author)
    },

    /** The text now, or as it was at `version` (rebuilt from the history); null for a version not reached yet. */
    async getDocument(version?: number) {
      const current = this.state.version
      if (version === undefined || version === current) return { content: this.state.content, version: current }
      if (!Number.isInteger(version) || version < 0 || version > current) return null
      const edits = this.ctx.sql.exec<Edit>('SELECT position, removed, inserted FROM edits WHERE version <= ? ORDER BY version', [version])
      let content = ''
      for (const edit of edits) content = splice(content, edit)
      return { content, version }
    },

    /** The latest edits, newest first. */
    async getHistory(limit = 20): Promise<HistoryEntry[]> {
      return this.ctx.sql
        .exec<HistoryEntry>(
          'SELECT version, author, position, removed, inserted, edited_at AS editedAt FROM edits ORDER BY version DESC LIMIT ?',
          [limit],
        )
        .toArray()
    },
  },
})

/**
 * Checks and applies one edit: a row in the history and the new text in the state. Everything
 * is checked before anything is written, and nothing is awaited in between, so the row and the
 * state change are saved together. Nothing may throw after it in the same call: a call that
 * throws takes back its state changes, but not its SQL writes.
 */
function commitEdit(doc: ObjectThis<SharedDocState>, base: number, edit: Edit, author: string, sender?: WebSocket): EditResult {
  const { content, version } = doc.state
  if (!Number.isInteger(base)) return invalid(version, 'base must be the version the edit was made on.')
  if (base !== version) {
    return {
      ok: false,
      reason: 'stale',
      error: `The edit was made on version ${base}, but the document is at version ${version}.`,
      version,
    }
  }
  const problem = editProblem(edit, content.length)
  if (problem) return invalid(version, problem)

  const next = version + 1
  const editedAt = Date.now()
  doc.ctx.sql.run('INSERT INTO edits (version, author, position, removed, inserted, edited_at) VALUES (?, ?, ?, ?, ?, ?)', [
    next,
    author,
    edit.position,
    edit.removed,
    edit.inserted,
    editedAt,
  ])
  doc.state.content = splice(content, edit)
  doc.state.version = next
  const { position, removed, inserted } = edit
  doc.broadcast({ type: 'edit', version: next, author, position, removed, inserted, editedAt } satisfies ServerFrame, sender)
  return { ok: true, version: next }
}

function editProblem(edit: Edit, length: number): string | null {
  const { position, removed, inserted } = edit
  if (!Number.isInteger(position) || position < 0 || position > length) return `position must be a whole number from 0 to ${length}.`
  if (!Number.isInteger(removed) || removed < 0 || position + removed > length)
    return `removed must be a whole number from 0 to ${length - position}.`
  if (typeof inserted !== 'string') return 'inserted must be a string.'
  if (length - removed + inserted.length > MAX_LENGTH) return `The document may hold at most ${MAX_LENGTH} characters.`
  return null
}

function invalid(version: number, error: string): EditResult {
  return { ok: false, reason: 'invalid', error, version }
}

function splice(text: string, { position, removed, inserted }: Edit): string {
  return text.slice(0, position) + inserted + text.slice(position + removed)
}

function parseFrame(data: string | ArrayBuffer): (Edit & { base: number }) | null {
  if (typeof data !== 'string') return null
  try {
    const frame = JSON.parse(data) as Edit & { type?: unknown; base: number }
    return frame?.type === 'edit' ? frame : null
  } catch {
    return null
  }
}
