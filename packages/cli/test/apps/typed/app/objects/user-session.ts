import { defineDurableObject } from '@cloudwerk/durable-object'
import { z } from 'zod'

const SessionSchema = z.object({ userId: z.string(), data: z.record(z.string(), z.unknown()) })
type SessionState = z.infer<typeof SessionSchema>

export default defineDurableObject<SessionState>({
  schema: SessionSchema,
  init: () => ({ userId: '', data: {} }),
  methods: {
    async getData() {
      return this.state
    },
    async touch() {
      return this.getData()
    },
  },
})
