// The reference ChatRoom and Document: hibernatable WebSockets, tags, this.broadcast, handler turns.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startWorker, type TestWorker } from '../../../test/support/worker'
import { objectClient, type ObjectClient } from './support/objects'
import { REFERENCE_ENTRY, REFERENCE_OBJECTS } from './support/reference'

let worker: TestWorker
let objects: ObjectClient

beforeAll(async () => {
  worker = await startWorker({ entry: REFERENCE_ENTRY, durableObjects: REFERENCE_OBJECTS, miniflare: { d1Databases: ['DB'] } })
  objects = objectClient(worker)
})
afterAll(() => worker?.dispose())

interface Client {
  /** Every message received so far, parsed when it is JSON. */
  received: unknown[]
  /** Resolves with the first message (old or new) that matches. */
  next(match: (message: any) => boolean): Promise<any>
  send(message: unknown): void
  close(): void
}

async function connect(path: string): Promise<Client> {
  const response = await worker.fetch(path, { headers: { Upgrade: 'websocket' } })
  const ws = (response as unknown as { webSocket: WebSocket | null }).webSocket
  if (!ws) throw new Error(`${path} answered ${response.status} without a WebSocket`)
  const received: unknown[] = []
  const waiters: Array<{ match: (message: unknown) => boolean; resolve: (message: unknown) => void }> = []
  ws.addEventListener('message', (event) => {
    const text = String(event.data)
    const message = text.startsWith('{') ? JSON.parse(text) : text
    received.push(message)
    for (const waiter of waiters.filter((candidate) => candidate.match(message))) {
      waiters.splice(waiters.indexOf(waiter), 1)
      waiter.resolve(message)
    }
  })
  ws.accept()
  return {
    received,
    next: (match) =>
      new Promise((resolve, reject) => {
        const found = received.find(match)
        if (found !== undefined) return resolve(found)
        const timer = setTimeout(() => reject(new Error(`no matching message on ${path}; got ${JSON.stringify(received)}`)), 5000)
        waiters.push({ match, resolve: (message) => (clearTimeout(timer), resolve(message)) })
      }),
    send: (message) => ws.send(typeof message === 'string' ? message : JSON.stringify(message)),
    close: () => ws.close(1000, 'bye'),
  }
}

describe('ChatRoom', () => {
  test("a client's close completes although webSocketClose never calls ws.close()", async () => {
    const response = await worker.fetch('/chat/closing?username=ada', { headers: { Upgrade: 'websocket' } })
    const ws = (response as unknown as { webSocket: WebSocket }).webSocket
    ws.accept()
    const closed = new Promise<number>((resolve) => ws.addEventListener('close', (event) => resolve(event.code)))
    ws.close(1000, 'bye')
    // Without the runtime's answer the close never completes and this waits for the test timeout.
    expect(await closed).toBe(1000)
  })

  test('a plain request is refused with 426', async () => {
    const response = await worker.fetch('/chat/lobby?username=ada')
    expect(response.status).toBe(426)
    expect(await response.text()).toBe('Expected WebSocket')
  })

  test('join, history, message broadcast, tags, leave', async () => {
    const ada = await connect('/chat/lobby?username=ada')
    expect(await ada.next((m) => m.type === 'history')).toEqual({ type: 'history', messages: [] })

    const bob = await connect('/chat/lobby?username=bob')
    await bob.next((m) => m.type === 'history')
    expect(await ada.next((m) => m.type === 'join')).toMatchObject({ type: 'join', user: 'bob' })
    expect(await objects.call('CHAT_ROOM', 'lobby', 'getOnlineUsers')).toEqual(['ada', 'bob'])

    ada.send({ type: 'message', text: 'hello bob' })
    const seenByBob = await bob.next((m) => m.type === 'message')
    expect(seenByBob).toMatchObject({ type: 'message', user: 'ada', text: 'hello bob' })
    await ada.next((m) => m.type === 'message') // broadcast without except reaches the sender too
    expect(await objects.call('CHAT_ROOM', 'lobby', 'getRecentMessages')).toEqual([
      { user: 'ada', text: 'hello bob', timestamp: seenByBob.timestamp },
    ])
    // The sender of a join never hears its own join (broadcast(..., server)).
    expect(bob.received.filter((m: any) => m.type === 'join' && m.user === 'bob')).toEqual([])

    const late = await connect('/chat/lobby?username=cy')
    expect(await late.next((m) => m.type === 'history')).toMatchObject({ messages: [{ user: 'ada', text: 'hello bob' }] })

    bob.close()
    expect(await ada.next((m) => m.type === 'leave')).toMatchObject({ type: 'leave', user: 'bob' })
    expect(await late.next((m) => m.type === 'leave')).toMatchObject({ user: 'bob' })
    ada.close()
    late.close()
  })

  test('getWebSockets(tag) finds sockets by tag; broadcast(string, [except]) sends raw text', async () => {
    const admin = await connect('/chat/tags?username=admin')
    const guest = await connect('/chat/tags?username=guest')
    await guest.next((m) => m.type === 'history')
    guest.send({ type: 'whisper-to-admins' })
    expect(await admin.next((m) => m === 'psst from guest')).toBe('psst from guest')
    guest.send({ type: 'raw', text: 'plain text' })
    expect(await admin.next((m) => m === 'plain text')).toBe('plain text')
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(guest.received).not.toContain('psst from guest')
    expect(guest.received).not.toContain('plain text')
    admin.close()
    guest.close()
  })

  test('messages sent over WebSockets are committed state', async () => {
    const ada = await connect('/chat/saved?username=ada')
    ada.send({ type: 'message', text: 'persist me' })
    await ada.next((m) => m.type === 'message')
    ada.close()
    await worker.restart()
    expect(await objects.call('CHAT_ROOM', 'saved', 'getRecentMessages')).toMatchObject([{ user: 'ada', text: 'persist me' }])
  })
})

describe('Document', () => {
  test('edits over a WebSocket update state, history and every client', async () => {
    const first = await connect('/document/notes')
    expect(await first.next((m) => m.type === 'state')).toEqual({ type: 'state', content: '', version: 0 })
    const second = await connect('/document/notes')
    first.send({ type: 'edit', author: 'ada', operations: [{ insert: 'Hello' }, { insert: ', world' }] })
    expect(await second.next((m) => m.version === 1)).toEqual({ type: 'state', content: 'Hello, world', version: 1 })
    expect(await (await worker.fetch('/document/notes')).json()).toEqual({ content: 'Hello, world', version: 1 })
    expect(await objects.call('DOCUMENT', 'notes', 'getHistory')).toMatchObject([{ version: 1, content: 'Hello, world', author: 'ada' }])
    first.close()
    second.close()
  })
})
