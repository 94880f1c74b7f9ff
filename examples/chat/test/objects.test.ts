import { afterAll, beforeAll, expect, test } from 'vitest'
import { startTestApp, type TestApp } from '@cloudwerk/cli/testing'
import { startSlowResponder, type SlowResponder } from './slow-responder.js'

// This example's folder (above test/), also when the tests run from the repository root.
const root = expect.getState().testPath!.replace(/\/test\/[^/]*$/, '')

// The app runs in workerd (the Workers runtime) with private storage for this file.
// test/examples/chat.test.ts at the repository root drives the same app over HTTP and in a browser.
// The slow responder: a local service that answers a question when the test says so, as a slow
// model would.
let responder: SlowResponder

let app: TestApp
beforeAll(async () => {
  responder = await startSlowResponder()
  app = await startTestApp({ root, vars: { RESPONDER_URL: responder.url } })
})
afterAll(async () => {
  await app?.close()
  await responder?.close()
})

async function join(room: string, username: string) {
  const response = await app.fetch(`/api/rooms/${room}?username=${username}`, { headers: { Upgrade: 'websocket' } })
  const socket = response.webSocket!
  socket.accept()
  const said: string[] = []
  socket.addEventListener('message', (event) => {
    const frame = JSON.parse(event.data as string)
    if (frame.type === 'said') said.push(`${frame.message.user}: ${frame.message.text}`)
  })
  return { socket, said, say: (text: string) => socket.send(JSON.stringify({ type: 'say', text })) }
}

test('the lobby lists rooms with people in them first, then recently emptied ones', async () => {
  const lobby = app.objects.Lobby.getByName('test')
  await lobby.roomChanged('emptied', 0)
  await lobby.roomChanged('quiet', 1)
  await lobby.roomChanged('busy', 3)
  await new Promise((resolve) => setTimeout(resolve, 5)) // a moment later
  await lobby.roomChanged('emptied-later', 0)
  expect((await lobby.listRooms()).map((r) => r.room)).toEqual(['busy', 'quiet', 'emptied-later', 'emptied'])
})

test('a room reports joins and leaves to the lobby; its messages and topic outlive the connection and eviction', async () => {
  const response = await app.fetch('/api/rooms/garden?username=ada', { headers: { Upgrade: 'websocket' } })
  const socket = response.webSocket!
  socket.accept()
  const frames: Array<{ type: string }> = []
  socket.addEventListener('message', (event) => frames.push(JSON.parse(event.data as string)))
  socket.send(JSON.stringify({ type: 'topic', topic: 'tomatoes' }))
  socket.send(JSON.stringify({ type: 'say', text: 'first sowing today' }))
  await expect.poll(() => frames.map((f) => f.type), { timeout: 5_000 }).toEqual(['hello', 'topic', 'said'])
  await expect
    .poll(() => app.objects.Lobby.getByName('main').listRooms(), { timeout: 5_000 })
    .toMatchObject([{ room: 'garden', online: 1 }])
  socket.close(1000)
  await expect
    .poll(() => app.objects.Lobby.getByName('main').listRooms(), { timeout: 5_000 })
    .toMatchObject([{ room: 'garden', online: 0 }])

  await app.evict()
  const room = app.objects.ChatRoom.getByName('garden')
  expect(await room.getOverview()).toEqual({ topic: 'tomatoes', online: [] })
  expect(await room.getMessages()).toMatchObject([{ id: 1, user: 'ada', text: 'first sowing today' }])
})

test('the responder answers a question after a while, and the others keep chatting meanwhile', async () => {
  const ada = await join('greenhouse', 'ada')
  const bob = await join('greenhouse', 'bob')
  ada.say('/ask when do tomatoes go out?')
  await expect.poll(() => responder.questions, { timeout: 5_000 }).toContain('when do tomatoes go out?')
  // The room is waiting for the responder, and still takes everyone's messages.
  bob.say('after the last frost, I think')
  // Two sockets have no order between them: ada answers once she has read bob, as a person would.
  await expect.poll(() => ada.said, { timeout: 5_000 }).toContain('bob: after the last frost, I think')
  ada.say('thanks bob')
  const meanwhile = ['ada: /ask when do tomatoes go out?', 'bob: after the last frost, I think', 'ada: thanks bob']
  await expect.poll(() => bob.said, { timeout: 5_000 }).toEqual(meanwhile)
  // Only now does the responder answer: the room took all that while it waited.
  responder.answer()
  const conversation = [...meanwhile, 'responder: You asked: when do tomatoes go out?']
  await expect.poll(() => bob.said, { timeout: 10_000 }).toEqual(conversation)
  expect(ada.said).toEqual(conversation)
  // The answer is stored like any message.
  const stored = await app.objects.ChatRoom.getByName('greenhouse').getMessages()
  expect(stored.map((m) => `${m.user}: ${m.text}`)).toEqual(conversation)
  ada.socket.close(1000)
  bob.socket.close(1000)
})
