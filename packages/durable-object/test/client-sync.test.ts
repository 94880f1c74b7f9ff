// Browser connections (`client: { state, methods }`, connectClient, the sync protocol) in workerd:
// snapshots and deltas of synced keys only, read-your-writes, resume, refused frames.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { applyDelta, type Frame } from '../../client/src/apply'
import { startWorker, type TestWorker } from '../../../test/support/worker'
import { objectClient, waitUntil, type ObjectClient } from './support/objects'

let worker: TestWorker
let objects: ObjectClient

beforeAll(async () => {
  worker = await startWorker({
    entry: new URL('./fixtures/client-app.ts', import.meta.url).pathname,
    durableObjects: { ROOM: 'Room', PLAIN: 'Plain' },
  })
  objects = objectClient(worker)
})
afterAll(() => worker?.dispose())

interface Browser {
  frames: Frame[]
  /** The state as the browser client would hold it after every frame so far. */
  state: Record<string, any>
  /** Every raw frame's text. */
  texts: string[]
  next(match: (frame: Frame) => boolean, after?: number): Promise<Frame>
  call(method: string, ...args: unknown[]): Promise<Frame>
  send(data: string | ArrayBuffer): void
  closed: Promise<{ code: number; reason: string }>
  close(): void
}

let lastCall = 0

async function open(room: string, query = 'user=ada'): Promise<Browser> {
  const response = await worker.fetch(`/rooms/${room}/connect?${query}`, { headers: { Upgrade: 'websocket' } })
  const ws = (response as unknown as { webSocket: WebSocket | null }).webSocket
  if (!ws) throw new Error(`connect answered ${response.status}: ${await response.text()}`)
  const browser: Browser = {
    frames: [],
    texts: [],
    state: {},
    next: (match, after = 0) =>
      new Promise((resolve, reject) => {
        const started = Date.now()
        const look = () => {
          const found = browser.frames.slice(after).find(match)
          if (found) return resolve(found)
          if (Date.now() - started > 5000) return reject(new Error(`no matching frame; got ${JSON.stringify(browser.texts)}`))
          setTimeout(look, 5)
        }
        look()
      }),
    call: (method, ...args) => {
      const id = ++lastCall
      ws.send(JSON.stringify({ c: id, m: method, a: args }))
      return browser.next((frame) => frame.r === id)
    },
    send: (data) => ws.send(data),
    closed: new Promise((resolve) => ws.addEventListener('close', (event) => resolve({ code: event.code, reason: event.reason }))),
    close: () => ws.close(1000, 'bye'),
  }
  ws.addEventListener('message', (event) => {
    const text = String(event.data)
    const frame = JSON.parse(text) as Frame
    browser.texts.push(text)
    browser.frames.push(frame)
    if (frame.s) browser.state = frame.s
    else if (frame.v !== undefined) browser.state = applyDelta(browser.state, frame)
  })
  ws.accept()
  return browser
}

const serverState = (room: string) => objects.call<Record<string, any>>('ROOM', room, 'getState')

describe('connect', () => {
  test('the browser gets the synced keys and a version, never a server-only key', async () => {
    await objects.call('ROOM', 'snap', 'addNote', 'secret')
    const ada = await open('snap')
    const first = await ada.next((frame) => frame.s !== undefined)
    expect(first).toEqual({ e: expect.any(String), v: 0, s: { topic: '', messages: [], echoes: 0 } })
    expect(ada.texts.join('')).not.toContain('secret')
  })

  test('a route that refuses answers 401 and no socket is opened', async () => {
    const response = await worker.fetch('/rooms/snap/connect', { headers: { Upgrade: 'websocket' } })
    expect(response.status).toBe(401)
    expect(await response.text()).toBe('sign in first')
  })

  test('connectClient on an object without `client` says what to add', async () => {
    const response = await worker.fetch('/plain/connect', { headers: { Upgrade: 'websocket' } })
    expect(await response.text()).toBe(
      "DurableObjectConfigError: Plain: connectClient(request, data) needs browser access in the object's definition. " +
        "Add client: { state: ['topic'], methods: ['send'] } to defineDurableObject({...}) in the Plain file under app/objects/.",
    )
  })

  test('connectClient without an upgrade answers 426', async () => {
    const response = await worker.fetch('/rooms/snap/connect?user=ada')
    expect(response.status).toBe(426)
  })
})

describe('calls and deltas', () => {
  test('a call resolves after its delta arrived; the other browser gets the same delta; this.caller is set', async () => {
    const ada = await open('calls')
    const bob = await open('calls', 'user=bob')
    await ada.next((frame) => frame.s !== undefined)
    await bob.next((frame) => frame.s !== undefined)
    const answer = await ada.call('send', 'hello')
    expect(answer).toEqual({ r: expect.any(Number), ok: 1 })
    // Read-your-writes: the change is in the browser's state by the time the answer is there.
    const answerAt = ada.frames.indexOf(answer)
    const delta = ada.frames.findIndex((frame) => frame.p?.messages || frame.k?.messages)
    expect(delta).toBeGreaterThanOrEqual(0)
    expect(delta).toBeLessThan(answerAt)
    expect(ada.state.messages).toEqual([{ user: 'ada', text: 'hello' }])
    await bob.next((frame) => frame.v === 1)
    expect(bob.state.messages).toEqual([{ user: 'ada', text: 'hello' }])

    const me = await bob.call('whoAmI')
    expect(me.ok).toEqual({ id: expect.any(String), data: { user: 'bob' } })
    // An RPC from a route is not a browser call.
    expect(await objects.call('ROOM', 'calls', 'addNote', 'n')).toBeNull()
  })

  test('only changed keys go out; a server-only change sends nothing; a deleted key is listed', async () => {
    const ada = await open('keys')
    await ada.next((frame) => frame.s !== undefined)
    await ada.call('setTopic', 'news')
    expect(ada.frames.find((frame) => frame.v === 1)).toEqual({ v: 1, k: { topic: 'news' } })
    await objects.call('ROOM', 'keys', 'addNote', 'private')
    await objects.call('ROOM', 'keys', 'removeTopic')
    const gone = await ada.next((frame) => frame.v === 2)
    // The note (server-only) made no frame: version 2 is the removal.
    expect(gone).toEqual({ v: 2, x: ['topic'] })
    expect(ada.texts.join('')).not.toContain('private')
    expect(ada.state).toEqual({ messages: [], echoes: 0 })
  })

  test('a thrown error rejects with its message only and commits nothing', async () => {
    const ada = await open('errors')
    await ada.next((frame) => frame.s !== undefined)
    expect(await ada.call('fail')).toEqual({ r: expect.any(Number), err: 'nope' })
    expect(await ada.call('send', '')).toEqual({ r: expect.any(Number), err: 'empty message' })
    expect(ada.frames.filter((frame) => frame.v !== undefined && !frame.s)).toEqual([])
    expect((await serverState('errors')).topic).toBe('')
  })

  test('long arrays (item rows) send only the items added, removed or changed', async () => {
    const ada = await open('items')
    await ada.next((frame) => frame.s !== undefined)
    await objects.call('ROOM', 'items', 'addMany', 5000)
    await ada.next((frame) => frame.v === 1)
    expect(ada.state.messages).toHaveLength(5000)

    const before = ada.texts.length
    await ada.call('send', 'one more')
    const delta = ada.texts.slice(before).find((text) => text.startsWith('{"v":'))!
    const message = JSON.stringify({ user: 'ada', text: 'one more' })
    expect(JSON.parse(delta)).toEqual({ v: 2, p: { messages: [[5000, 0, { user: 'ada', text: 'one more' }]] } })
    // A fixed envelope around the item's own JSON, whatever the room's size.
    expect(delta.length - message.length).toBeLessThanOrEqual(40)

    await objects.call('ROOM', 'items', 'dropFirst', 10)
    expect(await ada.next((frame) => frame.v === 3)).toEqual({
      v: 3,
      p: {
        messages: [
          [0, 10],
          [4991, 0, { user: 'seed', text: 'after window' }],
        ],
      },
    })
    await objects.call('ROOM', 'items', 'editMessage', 7, 'edited')
    expect(await ada.next((frame) => frame.v === 4)).toEqual({ v: 4, p: { messages: [[7, 1, { user: 'seed', text: 'edited' }]] } })
    expect(ada.state.messages).toEqual((await serverState('items')).messages)
  })
})

describe('resume', () => {
  test('a browser resuming from its version gets only what it missed; an unknown epoch gets a snapshot', async () => {
    const ada = await open('resume')
    const snapshot = await ada.next((frame) => frame.s !== undefined)
    await ada.call('setTopic', 'a')
    ada.close()
    await objects.call('ROOM', 'resume', 'setTopic', 'b')
    await objects.call('ROOM', 'resume', 'addNote', 'x')
    await objects.call('ROOM', 'resume', 'setTopic', 'c')
    const back = await open('resume', `user=ada&cloudwerk-resume=${snapshot.e}.1`)
    await back.next((frame) => frame.v === 3)
    expect(back.frames).toEqual([
      { v: 2, k: { topic: 'b' } },
      { v: 3, k: { topic: 'c' } },
    ])
    const stranger = await open('resume', 'user=ada&cloudwerk-resume=00000000.1')
    expect(await stranger.next(() => true)).toEqual({ e: snapshot.e, v: 3, s: { topic: 'c', messages: [], echoes: 0 } })
  })

  test('after the object is evicted, resuming falls back to a snapshot', async () => {
    const ada = await open('evicted')
    const snapshot = await ada.next((frame) => frame.s !== undefined)
    await ada.call('setTopic', 'kept')
    await worker.restart()
    const back = await open('evicted', `user=ada&cloudwerk-resume=${snapshot.e}.1`)
    const first = await back.next(() => true)
    expect(first.s).toEqual({ topic: 'kept', messages: [], echoes: 0 })
    expect(first.e).not.toBe(snapshot.e)
  })
})

describe('a new life', () => {
  test("after storage.deleteAll(), browsers get the new life's state as a snapshot under a new epoch", async () => {
    const ada = await open('wiped')
    const first = await ada.next((frame) => frame.s !== undefined)
    await ada.call('setTopic', 'old news')
    await ada.call('send', 'hello')
    const seen = ada.frames.length
    await objects.call('ROOM', 'wiped', 'wipe')
    const snapshot = await ada.next((frame) => frame.s !== undefined, seen)
    expect(snapshot.e).not.toBe(first.e)
    expect(snapshot).toMatchObject({ v: 0, s: { topic: '', messages: [], echoes: 0 } })
    expect(ada.state).toEqual({ topic: '', messages: [], echoes: 0 })
    // The new life goes on from there: the next change is version 1 of the new epoch.
    await ada.call('setTopic', 'fresh')
    expect(ada.state).toEqual({ topic: 'fresh', messages: [], echoes: 0 })
    expect(await serverState('wiped')).toEqual({ topic: 'fresh', messages: [], moderatorNotes: [], echoes: 0 })
  })

  test("a browser away during the wipe resumes into the new life, never into the old one's versions", async () => {
    const ada = await open('wiped-away')
    const first = await ada.next((frame) => frame.s !== undefined)
    await ada.call('setTopic', 'old news')
    ada.close()
    await waitUntil(
      () => objects.call<number>('ROOM', 'wiped-away', 'browsersConnected'),
      (count) => count === 0,
    )
    await objects.call('ROOM', 'wiped-away', 'wipe')
    const back = await open('wiped-away', `user=ada&cloudwerk-resume=${first.e}.1`)
    const snapshot = await back.next(() => true)
    expect(snapshot.e).not.toBe(first.e)
    expect(snapshot).toMatchObject({ v: 0, s: { topic: '', messages: [], echoes: 0 } })
  })
})

describe('refused frames never touch state', () => {
  const refused = async (browser: Browser, data: string | ArrayBuffer) => {
    const before = browser.frames.length
    browser.send(data)
    return browser.next((frame) => frame.err !== undefined, before)
  }

  test('not JSON, binary, not a call, bad arguments', async () => {
    const ada = await open('hostile')
    await ada.next((frame) => frame.s !== undefined)
    expect(await refused(ada, 'not json')).toEqual({ err: 'frame is not JSON' })
    expect(await refused(ada, new TextEncoder().encode('{"c":1}').buffer as ArrayBuffer)).toEqual({
      err: expect.stringContaining('binary'),
    })
    expect(await refused(ada, '{"m":"send","a":["x"]}')).toEqual({ err: expect.stringContaining('expected a call') })
    expect(await refused(ada, 'null')).toEqual({ err: expect.stringContaining('expected a call') })
    expect(await refused(ada, '{"c":90,"m":"send","a":"x"}')).toEqual({ r: 90, err: 'send: arguments must be an array' })
    expect(await serverState('hostile')).toMatchObject({ topic: '', messages: [] })
  })

  test('methods outside client.methods, prototype names and built-ins are refused without running', async () => {
    const ada = await open('names')
    await ada.next((frame) => frame.s !== undefined)
    for (const name of [
      'addNote',
      'getState',
      '__proto__',
      'constructor',
      'toString',
      'hasOwnProperty',
      '__cloudwerkAdmit',
      'fetch',
      'webSocketMessage',
      'alarm',
    ]) {
      const answer = await ada.call(name, 'x')
      expect(answer.err, name).toBe(`Room: ${JSON.stringify(name)} is not a method browsers may call (client.methods)`)
    }
    expect((await serverState('names')).moderatorNotes).toEqual([])
  })

  test('a huge frame closes the connection (1009)', async () => {
    const ada = await open('huge')
    await ada.next((frame) => frame.s !== undefined)
    ada.send(JSON.stringify({ c: 1, m: 'send', a: ['x'.repeat(70_000)] }))
    expect((await ada.closed).code).toBe(1009)
    expect((await serverState('huge')).messages).toEqual([])
  })

  test('a flood closes the connection (1008)', async () => {
    const ada = await open('flood')
    await ada.next((frame) => frame.s !== undefined)
    for (let i = 0; i < 300; i++) ada.send('{}')
    expect((await ada.closed).code).toBe(1008)
  })
})

describe("the object's own sockets", () => {
  test('keep their handlers; broadcasts skip browser connections, which get the state change', async () => {
    const ada = await open('own')
    await ada.next((frame) => frame.s !== undefined)
    const response = await worker.fetch('/rooms/own/own', { headers: { Upgrade: 'websocket' } })
    const ws = (response as unknown as { webSocket: WebSocket }).webSocket
    const received: string[] = []
    ws.addEventListener('message', (event) => received.push(String(event.data)))
    ws.accept()
    ws.send('hi')
    await ada.next((frame) => frame.k?.echoes === 1)
    await expect.poll(() => received).toEqual(['echo:hi', 'broadcast:hi'])
    expect(ada.texts.join('')).not.toContain('broadcast')
    expect(await (await worker.fetch('/rooms/own/own')).text()).toBe('own fetch')
  })
})
