// What the chat sends over the wire, shared by the objects (app/objects) and the page
// (client/room.ts): both sides are checked against these types.

export type Message = { id: number; user: string; text: string; sentAt: number }

/** A room in the lobby's list (GET /api/rooms). */
export interface RoomSummary {
  room: string
  online: number
  /** When someone last joined or left. */
  changedAt: number
}

/** Frames a room sends, as JSON. */
export type ServerFrame =
  | { type: 'hello'; you: string; topic: string; online: string[]; recent: Message[] }
  | { type: 'said'; message: Message }
  | { type: 'presence'; online: string[]; joined?: string; left?: string }
  | { type: 'typing'; username: string }
  | { type: 'topic'; topic: string; by: string }
  | { type: 'oops'; error: string }

/** Frames the page sends, as JSON. */
export type ClientFrame = { type: 'say'; text: string } | { type: 'typing' } | { type: 'topic'; topic: string }
