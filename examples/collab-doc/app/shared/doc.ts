// What the editor and the document exchange, shared by the object (app/objects/shared-doc.ts)
// and the page (client/doc.ts): both sides are checked against these types.

/**
 * One change to the text: at `position`, remove `removed` characters, then insert `inserted`.
 * Positions count UTF-16 code units, as JavaScript strings and textarea selections do.
 */
export type Edit = {
  position: number
  removed: number
  inserted: string
}

/** An edit as the history table keeps it: the change that made `version`. */
export type HistoryEntry = Edit & {
  version: number
  author: string
  editedAt: number
}

export type EditResult = { ok: true; version: number } | { ok: false; reason: 'stale' | 'invalid'; error: string; version: number }

/** Frames the document sends, as JSON. */
export type ServerFrame =
  | { type: 'snapshot'; content: string; version: number }
  | { type: 'ack'; version: number }
  | { type: 'rejected'; reason: 'stale' | 'invalid'; error: string; version: number }
  | ({ type: 'edit' } & HistoryEntry)

/** The frame the editor sends: an edit made on version `base`. */
export type ClientFrame = { type: 'edit'; base: number } & Edit
