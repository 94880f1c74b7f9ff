// `cloudwerk dev` serves wrangler's Local Explorer and Cloudwerk's decoded state view, whose edits
// reach the object (it is evicted, so it does not overwrite them with what it held in memory).
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { launchChromium } from '../../../test/examples/support.js'
import { copyApp, removeApp, startDev, type DevProcess } from './support/dev-process.js'

const TIMEOUT = 90_000
let browser: Browser
let dir: string
let dev: DevProcess
beforeAll(async () => {
  dir = copyApp('dev-app')
  ;[browser, dev] = await Promise.all([launchChromium(), startDev(dir)])
}, TIMEOUT)
afterAll(async () => {
  await Promise.all([dev?.stop(), browser?.close()])
  removeApp(dir)
})

const increment = async (id: string) =>
  ((await (await fetch(`${dev.url}/api/counter/${id}`, { method: 'POST' })).json()) as { value: number }).value

test('the start prints the Local Explorer, which answers with the raw tables', { timeout: TIMEOUT }, async () => {
  await dev.waitFor(/object state/)
  expect(dev.output()).toContain(`Local Explorer ${dev.url}/cdn-cgi/explorer`)
  expect(dev.output()).toContain(`object state ${dev.url}/__cloudwerk/state`)
  const page = await fetch(`${dev.url}/cdn-cgi/explorer`)
  expect(page.status).toBe(200)
  expect(await page.text()).toContain('<title>Cloudflare Local Explorer</title>')
})

test(
  'the state page shows this.state by key; a save is loaded by the next call; invalid JSON is refused',
  { timeout: TIMEOUT },
  async () => {
    expect(await increment('alpha')).toBe(1)
    const page = await browser.newPage()
    await page.goto(`${dev.url}/__cloudwerk/state`)
    const value = page.locator('[data-object="alpha"] textarea[data-key="value"]')
    expect(await value.inputValue()).toBe('1')
    await value.fill('41')
    await page.locator('[data-object="alpha"] button').click()
    await page.getByText('Saved; the object reloads on its next call.').waitFor()
    expect(await increment('alpha')).toBe(42)

    await page.reload()
    expect(await value.inputValue()).toBe('42')
    await value.fill('{ not json')
    await page.locator('[data-object="alpha"] button').click()
    await page.getByText(/Not saved: the value of "value" is not valid JSON/).waitFor()
    expect(await increment('alpha')).toBe(43)
    await page.close()
  },
)
