import { defineDurableObject } from '@cloudwerk/durable-object'

export interface Message {
  user: string
  text: string
  at: number
}

interface RoomState {
  topic: string
  messages: Message[]
  moderatorNotes: string[]
  pinned?: Message
}

export default defineDurableObject<RoomState>({
  init: () => ({ topic: '', messages: [], moderatorNotes: [] }),
  client: { state: ['topic', 'messages', 'pinned'], methods: ['send', 'setTopic'] },
  methods: {
    async send(text: string) {
      const { user } = this.caller!.data as { user: string }
      this.state.messages.push({ user, text, at: Date.now() })
      return this.state.messages.length
    },
    async setTopic(topic: string) {
      this.state.topic = topic
    },
    async addNote(note: string) {
      this.state.moderatorNotes.push(note)
    },
  },
})
