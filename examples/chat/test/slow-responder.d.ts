export interface SlowResponder {
  /** Where the app posts questions. */
  url: string
  /** Every question received so far. */
  questions: string[]
  /** Answers every question received so far and not answered yet. */
  answer(): void
  close(): Promise<void>
}

/** Starts the responder on a free local port; it answers the questions it holds when told to. */
export function startSlowResponder(): Promise<SlowResponder>
