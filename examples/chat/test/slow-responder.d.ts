export interface SlowResponder {
  /** Where the app posts questions. */
  url: string
  /** Every question received so far. */
  questions: string[]
  close(): Promise<void>
}

/** Starts the responder on a free local port; it answers each question after `delayMs`. */
export function startSlowResponder(delayMs: number): Promise<SlowResponder>
