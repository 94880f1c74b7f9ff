// The chat's wire format, shared by the room (app/objects/chat-room.ts) and the page
// (client/chat.ts): both sides are checked against these types.

export interface ChatMessage {
  user: string
  text: string
  sentAt: number
}

/** Who is behind a socket. */
export interface Member {
  username: string
  joinedAt: number
}

/** Frames the room sends, as JSON. */
export type ServerFrame =
  | { type: 'welcome'; you: Member; online: Member[]; messages: ChatMessage[] }
  | { type: 'joined' | 'left'; username: string; online: Member[] }
  | { type: 'message'; message: ChatMessage }
  | { type: 'error'; error: string }

/** The frame the page sends, as JSON. */
export interface ClientFrame {
  type: 'message'
  text: string
}
