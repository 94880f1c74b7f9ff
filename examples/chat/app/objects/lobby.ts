import { defineDurableObject } from '@cloudwerk/durable-object'

import type { RoomSummary } from '../shared/frames'

export type { RoomSummary }

interface LobbyState {
  rooms: Record<string, Omit<RoomSummary, 'room'>>
}

/** An empty room stays listed this long after the last person left. */
const EMPTY_ROOM_MS = 24 * 60 * 60 * 1000

// The directory of rooms: one Lobby ('main') that every ChatRoom tells when someone joins or
// leaves it.
export default defineDurableObject<LobbyState>({
  init: () => ({ rooms: {} }),

  methods: {
    async roomChanged(room: string, online: number) {
      this.state.rooms[room] = { online, changedAt: Date.now() }
    },

    /** Rooms with people in them first (most first), then the recently emptied; old empty rooms are dropped. */
    async listRooms(): Promise<RoomSummary[]> {
      const now = Date.now()
      for (const [room, { online, changedAt }] of Object.entries(this.state.rooms)) {
        if (online === 0 && changedAt < now - EMPTY_ROOM_MS) delete this.state.rooms[room]
      }
      return Object.entries(this.state.rooms)
        .map(([room, summary]) => ({ room, ...summary }))
        .sort((a, b) => b.online - a.online || b.changedAt - a.changedAt)
    },
  },
})
