// examples/live-room in Chromium: @cloudwerk/client against the real `cloudwerk dev`. Two pages
// stay in sync, a call reads its own writes, pages reconnect after a server-side close and after
// dev restarts, and a refused connect stops with the route's answer.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { startDev, type DevProcess } from '../../packages/cli/test/support/dev-process.js'
import { BROWSER_TEST_TIMEOUT, launchChromium, useExample } from './support.js'

const example = useExample('live-room')
let browser: Browser
let restarted: DevProcess | undefined

beforeAll(async () => {
  browser = await launchChromium()
})
afterAll(async () => {
  await browser?.close()
  await restarted?.stop()
})

/** A page of a signed-in user on room `id` (`page`: index.html, or react.html). */
async function openRoom(user: string | undefined, id: string, page = ''): Promise<Page> {
  const context = await browser.newContext()
  if (user) {
    const signedIn = await context.request.post(`${example.url}/api/sign-in?user=${user}`)
    expect(signedIn.status()).toBe(204)
  }
  const opened = await context.newPage()
  await opened.goto(`${example.url}/${page}#${id}`)
  return opened
}

const waitForStatus = (page: Page, status: string) => page.locator('#status', { hasText: new RegExp(`^${status}$`) }).waitFor()
const ready = (page: Page) => page.evaluate(() => (window as any).room.ready)

test(
  "two pages see each other's messages; a call resolves with its change already applied",
  async () => {
    const ada = await openRoom('ada', 'tea')
    const bob = await openRoom('bob', 'tea')
    await Promise.all([ready(ada), ready(bob)])
    await waitForStatus(ada, 'open')

    await bob.locator('#text').fill('hello from bob')
    await bob.locator('#send button').click()
    await ada.locator('#messages li', { hasText: 'bob: hello from bob' }).waitFor()

    // Read-your-writes: the state holds the message the moment the call's promise resolves.
    const seen = await ada.evaluate(async () => {
      const room = (window as any).room
      await room.call.send('mine')
      return room.state.messages.map((message: { text: string }) => message.text)
    })
    expect(seen).toEqual(['hello from bob', 'mine'])
    // A thrown error rejects with its message.
    const error = await ada.evaluate(() => (window as any).room.call.send('  ').catch((error: Error) => error.message))
    expect(error).toBe('empty message')
    await bob.locator('#messages li', { hasText: 'ada: mine' }).waitFor()
    await ada.context().close()
    await bob.context().close()
  },
  BROWSER_TEST_TIMEOUT,
)

test(
  'a React page (useSyncExternalStore) renders the live state and re-renders on every change',
  async () => {
    const ada = await openRoom('ada', 'react', 'react.html')
    const bob = await openRoom('bob', 'react')
    await Promise.all([ready(ada), ready(bob)])
    await waitForStatus(ada, 'open')
    await bob.evaluate(() => (window as any).room.call.setTopic('hooks'))
    await ada.locator('#topic', { hasText: 'hooks' }).waitFor()
    await ada.locator('#text').fill('from react')
    await ada.locator('#send button').click()
    await bob.locator('#messages li', { hasText: 'ada: from react' }).waitFor()
    await ada.locator('#messages li', { hasText: 'ada: from react' }).waitFor()
    expect(await ada.locator('#text').inputValue()).toBe('')
    await ada.context().close()
    await bob.context().close()
  },
  BROWSER_TEST_TIMEOUT,
)

test(
  'a refused connect stops retrying and says why',
  async () => {
    const stranger = await openRoom(undefined, 'tea')
    const reason = await stranger.evaluate(() => (window as any).room.ready.catch((error: Error) => error.message))
    expect(reason).toBe('connect refused: 401 sign in first')
    await stranger.locator('#status', { hasText: 'connect refused: 401 sign in first' }).waitFor()
    expect(await stranger.evaluate(() => (window as any).room.status)).toBe('closed')
    await stranger.context().close()
  },
  BROWSER_TEST_TIMEOUT,
)

test(
  'after the server closes the connection, the page reconnects and catches up',
  async () => {
    const ada = await openRoom('ada', 'drops')
    await ready(ada)
    const statuses = await ada.evaluateHandle(() => {
      const room = (window as any).room
      const seen: string[] = []
      room.subscribe(() => seen.at(-1) !== room.status && seen.push(room.status))
      return seen
    })
    const dropped = await fetch(`${example.url}/api/rooms/drops/drop`, { method: 'POST' })
    expect(dropped.status).toBe(204)
    await expect.poll(() => statuses.evaluate((seen) => seen.join(' ')), { timeout: 5000 }).toContain('reconnecting')
    await waitForStatus(ada, 'open')
    // Changed while away or after: the page has it.
    const bob = await openRoom('bob', 'drops')
    await ready(bob)
    await bob.evaluate(() => (window as any).room.call.setTopic('back again'))
    await ada.locator('#topic', { hasText: 'back again' }).waitFor()
    await ada.context().close()
    await bob.context().close()
  },
  BROWSER_TEST_TIMEOUT,
)

test(
  'a call whose answer is lost with the connection rejects, and is not sent again',
  async () => {
    const ada = await openRoom('ada', 'lost')
    await ready(ada)
    const outcome = ada.evaluate(() =>
      (window as any).room.call.ask('are you there?').then(
        () => 'resolved',
        (error: Error) => error.message,
      ),
    )
    // The question is committed before the bot starts thinking; the connection drops meanwhile.
    await ada.locator('#messages li', { hasText: 'ada: are you there?' }).waitFor()
    expect((await fetch(`${example.url}/api/rooms/lost/drop`, { method: 'POST' })).status).toBe(204)
    expect(await outcome).toBe('ask(): the connection closed before its answer arrived; it may or may not have run')
    await waitForStatus(ada, 'open')
    // It ran once: one answer, after the reconnect.
    await ada.locator('#messages li', { hasText: 'bot: you asked: are you there?' }).waitFor()
    expect(await ada.locator('#messages li').allTextContents()).toEqual(['ada: are you there?', 'bot: you asked: are you there?'])
    await ada.context().close()
  },
  BROWSER_TEST_TIMEOUT,
)

test(
  'after `cloudwerk dev` restarts, the page reconnects with the stored state',
  async () => {
    const ada = await openRoom('ada', 'restart')
    await ready(ada)
    await ada.evaluate(() => (window as any).room.call.send('before the restart'))
    const port = new URL(example.url).port
    expect(await example.dev.stop()).not.toBeNull()
    await waitForStatus(ada, 'reconnecting')
    const registry = mkdtempSync(join(tmpdir(), 'cw-live-registry-'))
    restarted = await startDev(example.dir, ['--port', port], { WRANGLER_REGISTRY_PATH: registry, MINIFLARE_REGISTRY_PATH: registry })
    await waitForStatus(ada, 'open')
    await ada.evaluate(() => (window as any).room.call.send('after the restart'))
    expect(await ada.locator('#messages li').allTextContents()).toEqual(['ada: before the restart', 'ada: after the restart'])
    await ada.context().close()
    // Stopped here, not only in afterAll: the example's own cleanup may remove its folder first,
    // while this dev still writes there (ENOTEMPTY).
    await restarted.stop()
  },
  BROWSER_TEST_TIMEOUT * 2,
)

test("the example type-checks, connect<'Room'> included", () => example.typechecked(), BROWSER_TEST_TIMEOUT)
