import type { Browser, Page } from 'playwright-core'
import { expect, test } from 'vitest'
import { BROWSER_TEST_TIMEOUT, type Client, connect, launchChromium, request, TYPECHECK_TIMEOUT, useExample } from './support.js'

// examples/chat: rooms over WebSocket, a lobby, SQLite message history, and the page in public/.
const example = useExample('chat')

let ada: Client
let bob: Client

test('people joining a room are greeted with who is there, and announced to the others', async () => {
  ada = await connect(example, '/api/rooms/garden?username=ada')
  expect(await ada.next()).toEqual({ type: 'hello', you: 'ada', topic: '', online: ['ada'], recent: [] })
  bob = await connect(example, '/api/rooms/garden?username=%20bob%20')
  expect(await bob.next()).toMatchObject({ type: 'hello', you: 'bob', online: ['ada', 'bob'] })
  expect(await ada.next()).toEqual({ type: 'presence', online: ['ada', 'bob'], joined: 'bob' })
})

test('typing reaches the others only; messages and the topic reach everyone', async () => {
  bob.send({ type: 'typing' })
  expect(await ada.next()).toEqual({ type: 'typing', username: 'bob' })
  bob.send({ type: 'say', text: ' hi ada ' })
  for (const member of [bob, ada]) {
    expect(await member.next()).toMatchObject({ type: 'said', message: { id: 1, user: 'bob', text: 'hi ada' } })
  }
  ada.send({ type: 'topic', topic: 'tomatoes' })
  for (const member of [bob, ada]) expect(await member.next()).toEqual({ type: 'topic', topic: 'tomatoes', by: 'ada' })
})

test('a frame the room does not understand gets an explanation, to its sender only', async () => {
  bob.send({ type: 'say', text: '' })
  expect(await bob.next()).toMatchObject({ type: 'oops', error: expect.stringContaining('{"type":"say","text":"…"}') })
  bob.send({ type: 'say', text: 'sorry' })
  expect(await ada.next()).toMatchObject({ type: 'said', message: { text: 'sorry' } })
  await bob.next()
})

test('leaving is announced; GET shows the topic and who is still there', async () => {
  await bob.close()
  expect(await ada.next()).toEqual({ type: 'presence', online: ['ada'], left: 'bob' })
  expect((await request(example, '/api/rooms/garden')).body).toEqual({ topic: 'tomatoes', online: ['ada'] })
})

test('the history is kept in full and read a page at a time, oldest first', async () => {
  for (let i = 3; i <= 40; i++) ada.send({ type: 'say', text: `note ${i}` })
  for (let i = 3; i <= 40; i++) await ada.next()
  const latest = (await request(example, '/api/rooms/garden/messages')).body as Array<{ id: number; text: string }>
  expect(latest.map((m) => m.id)).toEqual(Array.from({ length: 30 }, (_, i) => i + 11))
  const older = (await request(example, '/api/rooms/garden/messages?before=11&limit=100')).body as Array<{ id: number; text: string }>
  expect(older.map((m) => m.text)).toEqual(['hi ada', 'sorry', ...Array.from({ length: 8 }, (_, i) => `note ${i + 3}`)])
})

test('the lobby lists the room with the number of people in it', async () => {
  await expect
    .poll(async () => (await request(example, '/api/rooms')).body, { timeout: 5_000 })
    .toMatchObject([{ room: 'garden', online: 1 }])
  await ada.close()
  await expect
    .poll(async () => (await request(example, '/api/rooms')).body, { timeout: 5_000 })
    .toMatchObject([{ room: 'garden', online: 0 }])
})

test('bad room names, usernames and page queries are 400s that say what is expected', async () => {
  expect(await request(example, '/api/rooms/no%20spaces')).toMatchObject({
    status: 400,
    body: { error: '"no spaces" is not a room name: use 1 to 40 letters, digits, "-" or "_".' },
  })
  await expect(connect(example, '/api/rooms/garden?username=' + 'x'.repeat(25))).rejects.toThrow('answered 400')
  expect((await request(example, '/api/rooms/garden/messages?before=first')).body).toEqual({ error: '?before= must be a message id.' })
})

test(
  'in Chromium, two people join a room, see each other online, and one hears the other',
  async () => {
    const browser = await launchChromium()
    try {
      const [ada, bob] = await Promise.all([joinInBrowser(browser, 'ada'), joinInBrowser(browser, 'bob')])
      for (const page of [ada, bob]) await page.locator('#online li', { hasText: page === ada ? 'bob' : 'ada' }).waitFor()
      expect(await ada.locator('#online li').allTextContents()).toEqual(['ada', 'bob'])
      expect(await bob.locator('#online li').allTextContents()).toEqual(['ada', 'bob'])

      await bob.locator('#say input').fill('hello from bob')
      await ada.locator('#typing', { hasText: 'bob is typing…' }).waitFor()
      await bob.locator('#say input').press('Enter')
      await ada.locator('#messages li', { hasText: 'bob: hello from bob' }).waitFor()
      expect(await ada.locator('#typing').textContent()).toBe('')
    } finally {
      await browser.close()
    }
  },
  BROWSER_TEST_TIMEOUT,
)

/** Opens the page in a fresh browser profile and joins #greenhouse as `name` through the form. */
async function joinInBrowser(browser: Browser, name: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage()
  await page.goto(`${example.url}/#greenhouse`)
  await page.locator('#join input[name=username]').fill(name)
  await page.locator('#join button').click()
  await page.locator('#title', { hasText: '#greenhouse' }).waitFor()
  return page
}

test('the example type-checks against the generated types (tsc ran beside the tests above)', () => example.typechecked(), TYPECHECK_TIMEOUT)
