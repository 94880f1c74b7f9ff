import { applyDelta, type Frame } from './apply.js'

export { applyDelta, type Frame } from './apply.js'

/**
 * The app's objects that browsers may use, keyed by class name. Empty here: `cloudwerk types`
 * fills it in `.cloudwerk/types.d.ts` from each object's `client: { state, methods }`.
 */
export interface ClientObjects {}

export type Status = 'connecting' | 'open' | 'reconnecting' | 'closed'

type AnyFunction = (...args: any[]) => any
type Entry<Name> = Name extends keyof ClientObjects
  ? ClientObjects[Name]
  : { state: Record<string, unknown>; methods: Record<string, AnyFunction> }

/** `room.call`: each browser-callable method, returning a promise of its result. */
export type Calls<Methods> = {
  readonly [M in keyof Methods]: Methods[M] extends (...args: infer Args) => infer Result
    ? (...args: Args) => Promise<Awaited<Result>>
    : never
}

/** A live object: its synced state, kept up to date, and its browser-callable methods. */
export interface LiveObject<State, Methods> {
  /** Resolves once the first state arrived; rejects if the route refused the connection. */
  readonly ready: Promise<void>
  /** The synced keys. A new object after every change (for React's useSyncExternalStore). */
  readonly state: State
  readonly status: Status
  /** Why the connection is closed for good (a refused connect), if it is. */
  readonly error: string | undefined
  readonly call: Calls<Methods>
  /** Calls `listener` after every change of `state` or `status`; returns the unsubscribe. */
  subscribe(listener: () => void): () => void
  /** Closes the connection for good; calls still waiting reject. */
  close(): void
}

export interface ConnectOptions {
  /** The longest wait between two reconnects, in milliseconds (default 10 000). */
  maxDelay?: number
}

interface Pending {
  name: string
  frame: string
  sent: boolean
  resolve(value: unknown): void
  reject(error: Error): void
}

/**
 * Connects to an object through the app's route that calls `connectClient(request, data)`.
 *
 * @example
 * const room = connect<'Room'>(`/api/rooms/${id}/connect`)
 * await room.ready
 * room.subscribe(() => render(room.state))
 * await room.call.send('hello')
 */
export function connect<Name extends keyof ClientObjects>(
  url: string | URL,
  options: ConnectOptions = {},
): LiveObject<Entry<Name>['state'], Entry<Name>['methods']> {
  const http = new URL(url, location.href)
  const listeners = new Set<() => void>()
  const pending = new Map<number, Pending>()
  let state = {} as Entry<Name>['state']
  let status: Status = 'connecting'
  let error: string | undefined
  let resume = ''
  let socket: WebSocket | undefined
  let attempt = 0
  let timer: ReturnType<typeof setTimeout> | undefined
  let lastId = 0
  let settle!: [() => void, (error: Error) => void]
  const ready = new Promise<void>((resolve, reject) => (settle = [resolve, reject]))
  ready.catch(() => {})

  const notify = () => listeners.forEach((listener) => listener())
  const setStatus = (next: Status) => {
    if (status !== next) ((status = next), notify())
  }

  const open = () => {
    const target = new URL(http)
    target.protocol = http.protocol === 'https:' ? 'wss:' : 'ws:'
    if (resume) target.searchParams.set('cloudwerk-resume', resume)
    const ws = (socket = new WebSocket(target))
    let opened = false
    ws.onopen = () => {
      opened = true
      attempt = 0
      setStatus('open')
      for (const call of pending.values()) if (!call.sent) ((call.sent = true), ws.send(call.frame))
    }
    ws.onmessage = (event) => {
      const frame = JSON.parse(event.data) as Frame
      if (frame.r !== undefined) {
        const call = pending.get(frame.r)
        pending.delete(frame.r)
        if (frame.err !== undefined) call?.reject(new Error(frame.err))
        else call?.resolve(frame.ok)
      } else if (frame.s) {
        state = frame.s as typeof state
        resume = `${frame.e}.${frame.v}`
        settle[0]()
        notify()
      } else if (frame.v !== undefined) {
        state = applyDelta(state, frame)
        resume = resume.replace(/\.\d+$/, `.${frame.v}`)
        notify()
      } else if (frame.err) console.warn(`@cloudwerk/client: ${frame.err}`)
    }
    ws.onclose = () => {
      if (socket !== ws || status === 'closed') return
      // Sent calls may or may not have run: never send them again, say so.
      for (const [id, call] of pending) {
        if (!call.sent) continue
        pending.delete(id)
        call.reject(new Error(`${call.name}(): the connection closed before its answer arrived; it may or may not have run`))
      }
      if (opened) return retry()
      // Failed before opening: ask the route over plain HTTP whether it refuses us.
      fetch(http, { credentials: 'same-origin' }).then(
        async (response) =>
          response.status === 401 || response.status === 403 ? refuse(`${response.status} ${await response.text()}`) : retry(),
        retry,
      )
    }
  }

  const retry = () => {
    if (status === 'closed') return
    setStatus('reconnecting')
    // Capped exponential backoff with jitter, so a restarted server is not hit by every browser at once.
    const delay = Math.min(options.maxDelay ?? 10_000, 200 * 2 ** attempt++) * (0.5 + Math.random() / 2)
    timer = setTimeout(open, delay)
  }

  const refuse = (why: string) => {
    error = `connect refused: ${why}`
    close(error)
    settle[1](new Error(error))
  }

  const close = (why = 'closed') => {
    clearTimeout(timer)
    setStatus('closed')
    socket?.close()
    for (const call of pending.values()) call.reject(new Error(`${call.name}(): ${why}`))
    pending.clear()
  }

  const call = new Proxy({} as Calls<Entry<Name>['methods']>, {
    get:
      (_target, name) =>
      (...args: unknown[]) =>
        new Promise((resolve, reject) => {
          if (status === 'closed') return reject(new Error(`${String(name)}(): the connection is closed`))
          const id = ++lastId
          const entry: Pending = { name: String(name), frame: JSON.stringify({ c: id, m: name, a: args }), sent: false, resolve, reject }
          pending.set(id, entry)
          if (socket?.readyState === 1) ((entry.sent = true), socket.send(entry.frame))
        }),
  })

  open()
  return {
    ready,
    call,
    get state() {
      return state
    },
    get status() {
      return status
    },
    get error() {
      return error
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    close: () => close(),
  }
}
