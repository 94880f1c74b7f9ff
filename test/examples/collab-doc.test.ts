import type { Page } from 'playwright-core'
import { expect, test } from 'vitest'
import { BROWSER_TEST_TIMEOUT, type Client, connect, launchChromium, request, TYPECHECK_TIMEOUT, useExample } from './support.js'

// examples/collab-doc: edits over WebSocket (and POST), versions, SQLite history.
const example = useExample('collab-doc')

const post = (path: string, body: unknown) =>
  request(example, path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })

let ada: Client
let bob: Client

test('an editor gets the document on connecting; edits are acknowledged and reach the others', async () => {
  ada = await connect(example, '/api/docs/plan?author=ada')
  bob = await connect(example, '/api/docs/plan?author=bob')
  expect(await ada.next()).toEqual({ type: 'snapshot', content: '', version: 0 })
  expect(await bob.next()).toEqual({ type: 'snapshot', content: '', version: 0 })

  ada.send({ type: 'edit', base: 0, position: 0, removed: 0, inserted: 'Buy milk' })
  expect(await ada.next()).toEqual({ type: 'ack', version: 1 })
  expect(await bob.next()).toMatchObject({ type: 'edit', version: 1, author: 'ada', position: 0, removed: 0, inserted: 'Buy milk' })
})

test('of two edits made on the same version, the second is refused as stale and lands once resent', async () => {
  const edits = new Map([
    [ada, { position: 0, removed: 0, inserted: '- ' }],
    [bob, { position: 8, removed: 0, inserted: ', eggs' }],
  ])
  for (const [editor, edit] of edits) editor.send({ type: 'edit', base: 1, ...edit })
  // Whichever arrives first is taken; the other editor first hears of it, then of its own refusal.
  const firstFrames = new Map([
    [ada, await ada.next()],
    [bob, await bob.next()],
  ])
  const winner = firstFrames.get(ada)!.type === 'ack' ? ada : bob
  const loser = winner === ada ? bob : ada
  expect(firstFrames.get(winner)).toEqual({ type: 'ack', version: 2 })
  expect(firstFrames.get(loser)).toMatchObject({ type: 'edit', version: 2, ...edits.get(winner) })
  expect(await loser.next()).toMatchObject({ type: 'rejected', reason: 'stale', version: 2 })

  // Resent on version 2: ", eggs" moves along by the 2 characters of "- " when that came first.
  const resent = { ...edits.get(loser)!, position: loser === bob ? 10 : 0 }
  loser.send({ type: 'edit', base: 2, ...resent })
  expect(await loser.next()).toEqual({ type: 'ack', version: 3 })
  expect(await winner.next()).toMatchObject({ type: 'edit', version: 3, ...resent })
  expect((await request(example, '/api/docs/plan')).body).toEqual({ content: '- Buy milk, eggs', version: 3 })
})

test('an edit over HTTP reaches the connected editors too', async () => {
  expect(await post('/api/docs/plan', { base: 3, position: 16, removed: 0, inserted: '!', author: 'cy' })).toMatchObject({
    status: 200,
    body: { version: 4 },
  })
  for (const editor of [ada, bob]) expect(await editor.next()).toMatchObject({ type: 'edit', version: 4, author: 'cy', inserted: '!' })
})

test('the history lists the edits, newest first, and any version can be read back', async () => {
  const history = await request(example, '/api/docs/plan/history?limit=2')
  expect(history.body).toMatchObject([
    { version: 4, author: 'cy', inserted: '!' },
    { version: 3, removed: 0 },
  ])
  expect((await request(example, '/api/docs/plan?version=1')).body).toEqual({ content: 'Buy milk', version: 1 })
  expect(await request(example, '/api/docs/plan?version=9')).toMatchObject({
    status: 404,
    body: { error: 'Version 9 does not exist yet.' },
  })
})

test('mistakes get a clear answer: stale 409, invalid 400, bad frames rejected', async () => {
  expect(await post('/api/docs/plan', { base: 1, position: 0, removed: 0, inserted: 'x', author: 'cy' })).toMatchObject({
    status: 409,
    body: { error: 'The edit was made on version 1, but the document is at version 4.', version: 4 },
  })
  expect(await post('/api/docs/plan', { base: 4, position: 99, removed: 0, inserted: 'x', author: 'cy' })).toMatchObject({
    status: 400,
    body: { error: 'position must be a whole number from 0 to 17.' },
  })
  expect((await request(example, '/api/docs/plan', { method: 'POST', body: 'not json' })).status).toBe(400)
  expect((await post('/api/docs/plan', { base: 4, position: 0, removed: 0, inserted: 'x' })).body).toEqual({
    error: 'Give an author of 1 to 40 characters.',
  })
  await expect(connect(example, '/api/docs/plan')).rejects.toThrow('answered 400')

  ada.socket.send('hello?')
  expect(await ada.next()).toMatchObject({ type: 'rejected', reason: 'invalid', error: expect.stringContaining('Send {"type":"edit"') })
  await Promise.all([ada.close(), bob.close()])
})

test(
  'in Chromium, two people typing at once in the page end up with the same text, holding both',
  async () => {
    const browser = await launchChromium()
    try {
      const open = async (author: string) => {
        const page = await (await browser.newContext()).newPage()
        await page.goto(`${example.url}/#shopping`)
        await page.locator('#author').fill(author)
        await page.locator('#author').press('Enter') // 'change': reconnects under this name
        await page.locator('#text:not([disabled])').waitFor()
        return page
      }
      const [ada, bob] = await Promise.all([open('ada'), open('bob')])
      await ada.locator('#text').pressSequentially('milk', { delay: 10 })
      await bob.waitForFunction(() => (document.getElementById('text') as HTMLTextAreaElement).value === 'milk')

      // Both type at the same time, at either end: every edit but the first on a version is
      // refused as stale, rebased by the page and sent again.
      const typeAt = async (page: Page, key: 'Home' | 'End', text: string) => {
        await page.locator('#text').press(`Control+${key}`)
        await page.locator('#text').pressSequentially(text, { delay: 15 })
      }
      await Promise.all([typeAt(ada, 'Home', 'eggs, '), typeAt(bob, 'End', ', bread')])
      await expect
        .poll(async () => (await request(example, '/api/docs/shopping')).body.content, { timeout: 30_000 })
        .toBe('eggs, milk, bread')
      for (const page of [ada, bob]) {
        await page.waitForFunction(() => (document.getElementById('text') as HTMLTextAreaElement).value === 'eggs, milk, bread')
      }
    } finally {
      await browser.close()
    }
  },
  BROWSER_TEST_TIMEOUT,
)

test('the example type-checks against the generated types (tsc ran beside the tests above)', () => example.typechecked(), TYPECHECK_TIMEOUT)
