import { afterAll, beforeAll, expect, test } from 'vitest'
import { startTestApp, type TestApp } from '@cloudwerk/cli/testing'

// This example's folder (above test/), also when the tests run from the repository root.
const root = expect.getState().testPath!.replace(/\/test\/[^/]*$/, '')

// The app runs in workerd (the Workers runtime) with private storage for this file.
// test/examples/chat.test.ts at the repository root drives the same app over HTTP and in a browser.
let app: TestApp
beforeAll(async () => {
  app = await startTestApp({ root })
})
afterAll(() => app.close())

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
  await expect.poll(() => app.objects.Lobby.getByName('main').listRooms(), { timeout: 5_000 }).toMatchObject([{ room: 'garden', online: 1 }])
  socket.close(1000)
  await expect.poll(() => app.objects.Lobby.getByName('main').listRooms(), { timeout: 5_000 }).toMatchObject([{ room: 'garden', online: 0 }])

  await app.evict()
  const room = app.objects.ChatRoom.getByName('garden')
  expect(await room.getOverview()).toEqual({ topic: 'tomatoes', online: [] })
  expect(await room.getMessages()).toMatchObject([{ id: 1, user: 'ada', text: 'first sowing today' }])
})
