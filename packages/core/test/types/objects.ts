// What `cloudwerk types` writes into .cloudwerk/types.d.ts, in the same shape (quoted names included).
export {}

declare module '@cloudwerk/core/bindings' {
  interface CloudwerkObjects {
    Counter: {
      "increment"(amount?: number): Promise<number>
      "getValue"(): Promise<number>
      /** Synchronous on the object; a promise through the stub. */
      "snapshot"(): { value: number; at: Date }
      "label": string
    }
    ChatRoom: {
      "send"(user: string, text: string): Promise<void>
      "history"(limit?: number): Promise<Array<{ user: string; text: string }>>
    }
  }
}
