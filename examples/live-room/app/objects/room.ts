import { defineDurableObject } from '@cloudwerk/durable-object'

export interface Message {
  user: string
  text: string
  at: number
}

interface RoomState {
  topic: string
  messages: Message[]
  /** Server-only: never sent to a browser. */
  moderatorNotes: string[]
}

export default defineDurableObject<RoomState>({
  init: () => ({ topic: '', messages: [], moderatorNotes: [] }),
  // What browsers see and may call; everything else stays on the server.
  client: { state: ['topic', 'messages'], methods: ['send', 'setTopic', 'ask'] },
  methods: {
    async send(text: string) {
      const { user } = this.caller!.data as { user: string }
      if (!text.trim()) throw new Error('empty message')
      this.state.messages.push({ user, text, at: Date.now() })
    },
    /** A question for the (slow) room bot: the object is released while it thinks. */
    async ask(question: string) {
      const { user } = this.caller!.data as { user: string }
      this.state.messages.push({ user, text: question, at: Date.now() })
      const answer = await this.outside(() => thinkAbout(question))
      this.state.messages.push({ user: 'bot', text: answer, at: Date.now() })
      return answer
    },
    async setTopic(topic: string) {
      this.state.topic = topic
    },
    async addNote(note: string) {
      this.state.moderatorNotes.push(note)
    },
    /** Closes every connection (the browsers reconnect by themselves). */
    async dropConnections() {
      for (const ws of this.ctx.getWebSockets()) ws.close(1012, 'the room restarts')
    },
  },
})

/** Stands in for a slow service (a model, an API): answers after a second and a half. */
async function thinkAbout(question: string): Promise<string> {
  await new Promise((resolve) => setTimeout(resolve, 1500))
  return `you asked: ${question}`
}
