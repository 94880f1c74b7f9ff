/** A frame from the object (see client-sync.ts in @cloudwerk/durable-object for the protocol). */
export interface Frame {
  /** Snapshot of the synced keys, with the object's epoch. */
  s?: Record<string, unknown>
  e?: string
  v?: number
  /** Delta: keys set, array splices [start, deleteCount, ...items], keys gone. */
  k?: Record<string, unknown>
  p?: Record<string, Array<[number, number, ...unknown[]]>>
  x?: string[]
  /** Answer to call `r`. */
  r?: number
  ok?: unknown
  err?: string
}

/** The state after a delta: a new object (and new arrays where spliced), the rest shared. */
export function applyDelta<State extends object>(state: State, frame: Frame): State {
  const next = { ...state } as Record<string, unknown>
  for (const key in frame.k) next[key] = frame.k[key]
  for (const key in frame.p) {
    const items = (next[key] as unknown[]).slice()
    for (const [start, count, ...added] of frame.p[key]) items.splice(start, count, ...added)
    next[key] = items
  }
  for (const key of frame.x ?? []) delete next[key]
  return next as State
}
