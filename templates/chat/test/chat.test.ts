import { afterAll, beforeAll, expect, test } from 'vitest'
import { startTestApp, type TestApp } from '@cloudwerk/cli/testing'

// The app runs in workerd (the Workers runtime) with private storage for this file.
let app: TestApp
beforeAll(async () => {
  app = await startTestApp()
})
afterAll(() => app?.close()) // app is unset when startTestApp failed: its error is the one to read

type Frame = { type: string; [key: string]: any }

/** Joins `room` over a WebSocket, as client/chat.ts does, and reads the frames it receives. */
async function join(room: string, username: string) {
  const response = await app.fetch(`/api/rooms/${room}?username=${encodeURIComponent(username)}`, { headers: { Upgrade: 'websocket' } })
  const socket = response.webSocket
  if (!socket) throw new Error(`joining ${room} as ${username} answered ${response.status}: ${await response.text()}`)
  socket.accept()
  const frames: Frame[] = []
  const waiting: Array<() => void> = []
  socket.addEventListener('message', (event) => {
    frames.push(JSON.parse(event.data as string))
    waiting.splice(0).forEach((wake) => wake())
  })
  /** The next frame not read yet, waiting for it if need be. */
  const next = async (): Promise<Frame> => {
    while (!frames.length) await new Promise<void>((resolve) => waiting.push(resolve))
    return frames.shift()!
  }
  const send = (text: string) => socket.send(JSON.stringify({ type: 'message', text }))
  return { socket, next, send }
}

const names = (online: Array<{ username: string }>) => online.map((m) => m.username)

test('members see each other join, talk and leave', async () => {
  const ada = await join('tea', 'ada')
  expect(await ada.next()).toMatchObject({ type: 'welcome', you: { username: 'ada' }, messages: [] })

  const bob = await join('tea', ' bob ')
  const welcome = await bob.next()
  expect(names(welcome.online)).toEqual(['ada', 'bob'])
  expect(await ada.next()).toMatchObject({ type: 'joined', username: 'bob' })

  bob.send('hi ada')
  for (const member of [ada, bob]) {
    expect(await member.next()).toMatchObject({ type: 'message', message: { user: 'bob', text: 'hi ada' } })
  }
  bob.socket.close(1000, 'bye')
  const left = await ada.next()
  expect(left).toMatchObject({ type: 'left', username: 'bob' })
  expect(names(left.online)).toEqual(['ada'])
  ada.socket.close()
})

test('GET shows who is online and the recent messages', async () => {
  const cy = await join('lobby', 'cy')
  await cy.next()
  cy.send('anyone here?')
  await cy.next()
  const room = await (await app.fetch('/api/rooms/lobby')).json<Frame>()
  expect(names(room.online)).toEqual(['cy'])
  expect(room.messages).toMatchObject([{ user: 'cy', text: 'anyone here?' }])
  cy.socket.close()
})

test('a bad message gets an error frame, and only its sender sees it', async () => {
  const dee = await join('quiet', 'dee')
  const fay = await join('quiet', 'fay')
  await dee.next()
  await dee.next() // fay joined
  await fay.next()
  dee.socket.send('not json')
  expect(await dee.next()).toMatchObject({ type: 'error', error: expect.stringContaining('1 to 1000 characters') })
  dee.send('   ')
  expect((await dee.next()).type).toBe('error')
  dee.send('sorry')
  // fay's next frame is the good message: the errors went to dee alone.
  expect(await fay.next()).toMatchObject({ type: 'message', message: { text: 'sorry' } })
  dee.socket.close()
  fay.socket.close()
})

test('joining needs a username and a valid room name', async () => {
  const upgrade = { headers: { Upgrade: 'websocket' } }
  const nameless = await app.fetch('/api/rooms/tea', upgrade)
  expect(nameless.status).toBe(400)
  expect(await nameless.json()).toEqual({ error: 'Join with a username of 1 to 24 characters: ?username=ada' })
  expect((await app.fetch('/api/rooms/tea?username=' + 'x'.repeat(25), upgrade)).status).toBe(400)
  expect((await app.fetch('/api/rooms/no%20spaces')).status).toBe(400)
})

test('the history keeps the last 100 messages and survives eviction', async () => {
  const eve = await join('busy', 'eve')
  await eve.next()
  for (let i = 1; i <= 105; i++) eve.send(`message ${i}`)
  for (let i = 1; i <= 105; i++) await eve.next()
  eve.socket.close()

  await app.evict()
  const { messages } = await app.objects.ChatRoom.getByName('busy').getRoom()
  expect(messages).toHaveLength(100)
  expect(messages[0].text).toBe('message 6')
  expect(messages[99].text).toBe('message 105')
})
