// client/ in a browser: served and live-reloaded by `cloudwerk dev`, and served by the built app
// in workerd as deploy would, in headless Chromium.
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import WebSocket from 'ws'
import { buildAndServe } from '../../../test/reliability/support/app.mjs'
import { launchChromium } from '../../../test/examples/support.js'
import { copyApp, removeApp, startDev, type DevProcess } from './support/dev-process.js'

const TIMEOUT = 90_000
let browser: Browser
beforeAll(async () => {
  browser = await launchChromium()
})
afterAll(() => browser?.close())

async function openCounterPage(url: string): Promise<Page> {
  const page = await browser.newPage()
  await page.goto(`${url}/`)
  await page.locator('#count', { hasText: 'count ' }).waitFor()
  return page
}

/** A WebSocket to the fixture's echo route: held by workerd, so it shows whether workerd restarted. */
async function openEcho(url: string): Promise<WebSocket> {
  const socket = new WebSocket(`${url.replace(/^http/, 'ws')}/api/echo`)
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject))
  return socket
}

async function expectStillOpen(socket: WebSocket): Promise<void> {
  const echoed = new Promise((resolve) => socket.once('message', (data) => resolve(String(data))))
  socket.send('still here')
  expect(await echoed).toBe('echo still here')
  socket.close()
}

describe('cloudwerk dev', () => {
  let dir: string
  let dev: DevProcess
  beforeAll(async () => {
    dir = copyApp('client-app')
    // startDev gives it a dev registry of its own, so its Worker is not listed where other tests' are.
    dev = await startDev(dir)
  }, TIMEOUT)
  afterAll(async () => {
    await dev?.stop()
    removeApp(dir)
  })
  const edit = (file: string, from: string, to: string) =>
    writeFileSync(join(dir, file), readFileSync(join(dir, file), 'utf8').replace(from, to))

  test('serves a page whose script comes from client/ (a module, CSS, an npm package with JSX)', { timeout: TIMEOUT }, async () => {
    const page = await openCounterPage(dev.url)
    expect(await page.locator('#greeting').textContent()).toBe('hello main')
    expect(await page.locator('#greeting').evaluate((el) => getComputedStyle(el).color)).toBe('rgb(1, 2, 3)')
    await page.locator('#increment').click()
    await page.locator('#count', { hasText: 'count 1' }).waitFor()
    const admin = await browser.newPage()
    await admin.goto(`${dev.url}/admin.html`)
    expect(await admin.locator('#admin').textContent()).toBe('hello admin')
    await Promise.all([page.close(), admin.close()])
  })

  test('an edit in client/ reloads the page with the change; object state and other connections stay', { timeout: TIMEOUT }, async () => {
    const page = await openCounterPage(dev.url)
    await page.locator('#increment').click()
    await page.locator('#count', { hasText: 'count 2' }).waitFor()
    const socket = await openEcho(dev.url)

    const from = dev.output().length
    edit('client/lib/greet.ts', 'hello ${name}', 'hey ${name}')
    await page.locator('#greeting', { hasText: 'hey main' }).waitFor()
    await page.locator('#count', { hasText: 'count 2' }).waitFor()
    await dev.waitFor(/Rebuilt client\/ in \d+ ms/, from)
    expect(dev.output().slice(from)).not.toContain('workerd restart')
    // The WebSocket opened before the edit still answers: workerd kept running.
    await expectStillOpen(socket)
    await page.close()
  })

  test('an edit in public/ reloads the page with it, and workerd keeps running', { timeout: TIMEOUT }, async () => {
    const page = await openCounterPage(dev.url)
    const socket = await openEcho(dev.url)
    const from = dev.output().length
    edit('public/index.html', '>+1<', '>plus one<')
    await page.locator('#increment', { hasText: 'plus one' }).waitFor()
    await dev.waitFor(/static file served as edited, no restart/, from)
    await expectStillOpen(socket)
    await page.close()
  })

  test('a client/ compile error shows in the terminal and over the page; the fix reloads it', { timeout: TIMEOUT }, async () => {
    const page = await openCounterPage(dev.url)
    const from = dev.output().length
    edit('client/main.ts', "greet('main')", "greet('main'")
    const overlay = page.locator('#cloudwerk-dev-overlay')
    await overlay.waitFor()
    expect(await overlay.textContent()).toMatch(/client\/main\.ts:\d+:\d+: Expected "\)"/)
    await dev.waitFor(/client\/ does not compile[^]*client\/main\.ts:\d+:\d+: Expected "\)"/, from)
    // The Worker keeps serving, and so do the last good bundles.
    expect((await fetch(`${dev.url}/api/counter`)).status).toBe(200)
    expect(await (await fetch(`${dev.url}/client/main.js`)).text()).toContain('greet("main")')

    edit('client/main.ts', "greet('main'", "greet('main')")
    await overlay.waitFor({ state: 'detached' })
    await page.locator('#greeting', { hasText: 'hey main' }).waitFor()
    await page.close()
  })

  test('a route change reloads open pages once the new Worker answers', { timeout: TIMEOUT }, async () => {
    const page = await openCounterPage(dev.url)
    const from = dev.output().length
    edit('app/api/counter/route.ts', '.read() }', '.read() + 1000 }')
    await page.locator('#count', { hasText: /count 100\d/ }).waitFor()
    expect(dev.output().slice(from)).toMatch(/Reloaded in \d+ ms \(build \d+ ms, routes swapped in, no restart\)/)
    await page.close()
  })
})

test('the built app serves client/ from its assets in workerd, with no dev script', { timeout: TIMEOUT }, async () => {
  const dir = copyApp('client-app')
  const app = await buildAndServe(dir)
  try {
    const html = await (await fetch(`${app.url}/`)).text()
    expect(html).not.toContain('__cloudwerk')
    const page = await openCounterPage(app.url)
    expect(await page.locator('#greeting').textContent()).toBe('hello main')
    expect(await page.locator('#greeting').evaluate((el) => getComputedStyle(el).color)).toBe('rgb(1, 2, 3)')
    await page.locator('#increment').click()
    await page.locator('#count', { hasText: 'count 1' }).waitFor()
    await page.goto(`${app.url}/admin.html`)
    expect(await page.locator('#admin').textContent()).toBe('hello admin')
  } finally {
    await app.close()
  }
})
