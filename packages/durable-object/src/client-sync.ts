import type { StateRow } from './state-store.js'
import type { Caller } from './types.js'

// The server half of `@cloudwerk/client`. Browsers connect through a route
// (`connectClient(request, data)`), get the synced keys once, then after every committed turn
// only what changed: whole keys, and for arrays stored as item rows the items spliced in or out.
//
// Frames are JSON text. Server to browser:
//   {"e":epoch,"v":n,"s":{...}}           snapshot of the synced keys at version n
//   {"v":n,"k":{...},"p":{...},"x":[...]}  delta: keys set, array splices [start, deleteCount, ...items], keys gone
//   {"r":id,"ok":result} | {"r":id,"err":message}   answer to a call, sent after its delta
//   {"err":message}                        a frame that was refused
// Browser to server:
//   {"c":id,"m":method,"a":[args]}
//
// Versions count commits that changed synced keys since this instance started (`epoch`, random
// per instance). A browser that reconnects sends the epoch and version it has; if this instance
// still holds every delta after it (a bounded log in memory), it gets those, otherwise a snapshot.
// After hibernation or eviction the epoch differs, so resuming falls back to a snapshot: never a
// delta applied to the wrong base.

/** The hibernation tag that marks a browser connection (the object's own sockets have others). */
export const CLIENT_TAG = 'cloudwerk:client'
/** Carries the one-time ticket from `connectClient` to the object's fetch. */
export const TICKET_HEADER = 'cloudwerk-client-ticket'
/** Query parameter the browser adds on reconnect: `<epoch>.<version>`. */
export const RESUME_PARAM = 'cloudwerk-resume'

/** Frames above this many characters close the connection (1009). */
export const MAX_FRAME_CHARS = 64 * 1024
/** More frames than this in one second close the connection (1008). */
export const MAX_FRAMES_PER_SECOND = 100
/** The platform keeps at most 16 KB per socket attachment; the id takes a little of it. */
const MAX_DATA_BYTES = 15 * 1024
const TICKET_MS = 30_000
const LOG_ENTRIES = 500
const LOG_CHARS = 1024 * 1024

type AnyFunction = (...args: unknown[]) => unknown
type Splice = [start: number, deleteCount: number, items: string[]]

export interface ClientSyncParts {
  objectName: string
  native: DurableObjectState
  client: { state?: readonly string[]; methods?: readonly string[] }
  methods: Record<string, AnyFunction>
  /** The plain committed state (between turns) or the state being committed. */
  readState: () => Readonly<Record<string, unknown>>
  /** The stored JSON of each item of an array kept as item rows, before the commit writes. */
  storedItems: (key: string) => readonly string[] | undefined
  runTurn: (label: string, handler: AnyFunction, args: unknown[], caller?: Caller) => Promise<unknown>
}

export class ClientSync {
  readonly #parts: ClientSyncParts
  readonly #synced: Set<string>
  readonly #callable: Set<string>
  #epoch = crypto.randomUUID().slice(0, 8)
  #version = 0
  #lifeEnded = false
  #log: Array<{ version: number; frame: string }> = []
  #logChars = 0
  #tickets = new Map<string, { data: unknown; expires: number }>()
  #rates = new WeakMap<WebSocket, { second: number; count: number }>()

  constructor(parts: ClientSyncParts) {
    this.#parts = parts
    this.#synced = new Set(parts.client.state ?? [])
    this.#callable = new Set(parts.client.methods ?? [])
  }

  /** `connectClient(request, data)`, first step (RPC): keeps `data` under a one-time ticket. */
  admit(data: unknown): string {
    const json = data === undefined ? undefined : JSON.stringify(data)
    if (json !== undefined && new TextEncoder().encode(json).byteLength > MAX_DATA_BYTES) {
      throw new TypeError(
        `${this.#parts.objectName}: connectClient(request, data): data is over ${MAX_DATA_BYTES / 1024} KB as JSON; it is kept with the ` +
          'connection (the platform allows 16 KB). Pass an id (e.g. { user: id }) and keep the rest in state.',
      )
    }
    const now = Date.now()
    for (const [ticket, admitted] of this.#tickets) if (admitted.expires < now) this.#tickets.delete(ticket)
    const ticket = crypto.randomUUID()
    this.#tickets.set(ticket, { data: json === undefined ? undefined : JSON.parse(json), expires: now + TICKET_MS })
    return ticket
  }

  /** Second step (the object's fetch): accepts the browser's socket and sends what it lacks. */
  async connect(request: Request): Promise<Response> {
    const ticket = request.headers.get(TICKET_HEADER) ?? ''
    const admitted = this.#tickets.get(ticket)
    this.#tickets.delete(ticket)
    if (!admitted || admitted.expires < Date.now()) {
      return new Response('This connect ticket is unknown or expired: connect again through the route.', { status: 403 })
    }
    if (request.headers.get('Upgrade')?.toLowerCase() !== 'websocket') {
      return new Response('Expected WebSocket (connect with @cloudwerk/client)', { status: 426 })
    }
    const [browser, server] = Object.values(new WebSocketPair())
    const resume = new URL(request.url).searchParams.get(RESUME_PARAM)
    // In a turn: no commit can slip between accepting the socket and sending its starting point.
    await this.#parts.runTurn(
      'connectClient',
      () => {
        this.#parts.native.acceptWebSocket(server, [CLIENT_TAG])
        const caller: Caller = { id: crypto.randomUUID(), data: admitted.data }
        server.serializeAttachment(caller)
        for (const frame of this.#catchUp(resume)) server.send(frame)
      },
      [],
    )
    return new Response(null, { status: 101, webSocket: browser })
  }

  /** True for a browser connection (the object's own sockets go to its own handlers). */
  owns(ws: WebSocket): boolean {
    try {
      return this.#parts.native.getTags(ws).includes(CLIENT_TAG)
    } catch {
      return false
    }
  }

  /**
   * Called in the commit, before the write: decides the delta of the synced keys in `rows` and
   * returns the function that numbers and sends it once the write succeeded (or undefined).
   */
  prepare(rows: readonly StateRow[]): (() => void) | undefined {
    let keys = ''
    let splices = ''
    const gone: string[] = []
    for (const row of rows) {
      if (!this.#synced.has(row.key)) continue
      const name = JSON.stringify(row.key)
      if ('items' in row) {
        const before = this.#parts.storedItems(row.key)
        const after = row.items.next.json
        if (before) {
          splices += `,${name}:[${diffItems(before, after).map(([start, count, items]) => `[${[start, count, ...items].join(',')}]`)}]`
        } else keys += `,${name}:[${after.join(',')}]`
      } else if (row.json === null) gone.push(row.key)
      else keys += `,${name}:${row.json}`
    }
    if (!keys && !splices && !gone.length) return undefined
    return () => {
      const version = ++this.#version
      let frame = `{"v":${version}`
      if (keys) frame += `,"k":{${keys.slice(1)}}`
      if (splices) frame += `,"p":{${splices.slice(1)}}`
      if (gone.length) frame += `,"x":${JSON.stringify(gone)}`
      frame += '}'
      this.#remember(version, frame)
      for (const ws of this.#parts.native.getWebSockets(CLIENT_TAG)) send(ws, frame)
    }
  }

  /** Whether a browser is connected. */
  hasBrowsers(): boolean {
    return this.#parts.native.getWebSockets(CLIENT_TAG).length > 0
  }

  /**
   * The object's life ended (`storage.deleteAll()`): versions start again under a new epoch, so
   * no browser resumes from the old life's log, and the next load sends the new state
   * (`sendNewLife`), also to browsers that were away meanwhile and resume.
   */
  endLife(): void {
    this.#epoch = crypto.randomUUID().slice(0, 8)
    this.#version = 0
    this.#log = []
    this.#logChars = 0
    this.#lifeEnded = true
  }

  /** After a load: if a life ended before it, every connected browser gets a snapshot of the new one. */
  sendNewLife(): void {
    if (!this.#lifeEnded) return
    this.#lifeEnded = false
    const [snapshot] = this.#catchUp(null)
    for (const ws of this.#parts.native.getWebSockets(CLIENT_TAG)) send(ws, snapshot)
  }

  /** A frame from a browser: a call of one of `client.methods`, anything else refused. */
  async receive(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    if (typeof message !== 'string') return send(ws, refusal('binary frames are not part of the protocol; send JSON text'))
    if (message.length > MAX_FRAME_CHARS) return ws.close(1009, `frame over ${MAX_FRAME_CHARS} characters`)
    if (this.#flooded(ws)) return ws.close(1008, `more than ${MAX_FRAMES_PER_SECOND} frames in a second`)
    let frame: { c?: unknown; m?: unknown; a?: unknown }
    try {
      frame = JSON.parse(message)
    } catch {
      return send(ws, refusal('frame is not JSON'))
    }
    const id = frame?.c
    if (!Number.isSafeInteger(id)) return send(ws, refusal('expected a call {"c":id,"m":"method","a":[...args]}'))
    const name = frame.m
    if (typeof name !== 'string' || !this.#callable.has(name)) {
      return send(
        ws,
        answer(id as number, {
          error: `${this.#parts.objectName}: ${JSON.stringify(name)} is not a method browsers may call (client.methods)`,
        }),
      )
    }
    if (!Array.isArray(frame.a)) return send(ws, answer(id as number, { error: `${name}: arguments must be an array` }))
    const caller = ws.deserializeAttachment() as Caller
    let result: { value: unknown } | { error: string }
    try {
      result = { value: await this.#parts.runTurn(name, this.#parts.methods[name], frame.a, caller) }
    } catch (error) {
      // The message only: stacks and causes stay on the server (reported by the turn).
      result = { error: error instanceof Error ? error.message : String(error) }
    }
    send(ws, answer(id as number, result))
  }

  /** The frames that bring a browser at `resume` (`<epoch>.<version>`, or none) up to date. */
  #catchUp(resume: string | null): string[] {
    const [epoch, at] = (resume ?? '').split('.')
    const version = Number(at)
    const first = this.#log.length ? this.#log[0].version : this.#version + 1
    if (epoch === this.#epoch && Number.isSafeInteger(version) && version >= first - 1 && version <= this.#version) {
      return this.#log.filter((entry) => entry.version > version).map((entry) => entry.frame)
    }
    const state = this.#parts.readState()
    const synced: Record<string, unknown> = {}
    for (const key of this.#synced)
      if (Object.hasOwn(state, key)) Object.defineProperty(synced, key, { value: state[key], enumerable: true })
    return [JSON.stringify({ e: this.#epoch, v: this.#version, s: synced })]
  }

  #remember(version: number, frame: string): void {
    this.#log.push({ version, frame })
    this.#logChars += frame.length
    while (this.#log.length > LOG_ENTRIES || (this.#logChars > LOG_CHARS && this.#log.length > 1))
      this.#logChars -= this.#log.shift()!.frame.length
  }

  #flooded(ws: WebSocket): boolean {
    const second = Math.floor(Date.now() / 1000)
    let rate = this.#rates.get(ws)
    if (!rate || rate.second !== second) this.#rates.set(ws, (rate = { second, count: 0 }))
    return ++rate.count > MAX_FRAMES_PER_SECOND
  }
}

/**
 * The splices that turn `before` into `after` (item JSON, compared as strings): items dropped from
 * the front (a sliding window), then one splice for the middle between the common ends.
 */
export function diffItems(before: readonly string[], after: readonly string[]): Splice[] {
  const splices: Splice[] = []
  let old = before
  if (old.length && after.length && old[0] !== after[0]) {
    const dropped = old.indexOf(after[0], 1)
    if (dropped > 0) {
      splices.push([0, dropped, []])
      old = old.slice(dropped)
    }
  }
  const m = old.length
  const n = after.length
  let start = 0
  while (start < m && start < n && old[start] === after[start]) start++
  let end = 0
  while (end < m - start && end < n - start && old[m - 1 - end] === after[n - 1 - end]) end++
  if (m - start - end > 0 || n - start - end > 0) splices.push([start, m - start - end, after.slice(start, n - end)])
  return splices
}

function answer(id: number, result: { value: unknown } | { error: string }): string {
  if ('error' in result) return `{"r":${id},"err":${JSON.stringify(result.error)}}`
  try {
    return result.value === undefined ? `{"r":${id}}` : `{"r":${id},"ok":${JSON.stringify(result.value)}}`
  } catch (error) {
    return `{"r":${id},"err":${JSON.stringify(`the result could not be sent as JSON: ${(error as Error).message}`)}}`
  }
}

function refusal(message: string): string {
  return JSON.stringify({ err: message })
}

function send(ws: WebSocket, frame: string): void {
  try {
    ws.send(frame)
  } catch {
    // Closing or closed: its close handler runs; the browser resumes when it reconnects.
  }
}
