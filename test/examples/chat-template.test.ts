import { execFile } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, expect, test } from 'vitest'
import {
  BROWSER_TEST_TIMEOUT,
  inBackground,
  launchChromium,
  runAppTests,
  startFromTemplate,
  typecheck,
  type RunningExample,
} from './support.js'

const run = promisify(execFile)

// templates/chat as a user gets it: `cloudwerk create --template chat --link`, then `cloudwerk dev`.
let app: RunningExample
let checked: () => Promise<void>
beforeAll(async () => {
  app = await startFromTemplate('chat')
  // The type check and the app's own tests (in workerd, through startTestApp) run beside the browser test.
  checked = inBackground(Promise.all([typecheck(app.dir), runAppTests(app.dir)]))
})
afterAll(() => app?.stop())

test('the created app has a .gitignore and depends on this checkout', () => {
  expect(existsSync(join(app.dir, '.gitignore'))).toBe(true)
  const pkg = JSON.parse(readFileSync(join(app.dir, 'package.json'), 'utf8'))
  expect(pkg.dependencies['@cloudwerk/durable-object']).toMatch(/^file:.*packages\/durable-object$/)
})

test(
  'in Chromium, two people join a room, see each other online, and one hears the other',
  async () => {
    const browser = await launchChromium()
    try {
      const pages = []
      for (const name of ['ada', 'bob']) {
        const page = await (await browser.newContext()).newPage()
        await page.goto(`${app.url}/#tea`)
        await page.locator('#username').fill(name)
        await page.locator('#join button').click()
        // Welcomed (the list shows this user) before the next one joins: else bob may be in
        // first, and ada never hears that he joined.
        await page.locator('#online li', { hasText: name }).waitFor()
        pages.push(page)
      }
      const [ada, bob] = pages
      await ada.locator('#online li', { hasText: 'bob' }).waitFor()
      for (const page of pages) expect(await page.locator('#online li').allTextContents()).toEqual(['ada', 'bob'])
      await ada.locator('#messages li', { hasText: 'bob joined' }).waitFor()

      await bob.locator('#text').fill('hello from bob')
      await bob.locator('#send button').click()
      await ada.locator('#messages li', { hasText: 'bob: hello from bob' }).waitFor()

      await bob.close()
      await ada.locator('#messages li', { hasText: 'bob left' }).waitFor()
      expect(await ada.locator('#online li').allTextContents()).toEqual(['ada'])
    } finally {
      await browser.close()
    }
  },
  BROWSER_TEST_TIMEOUT,
)

// Two type checks (the Worker side, then client/) and the app's own tests in workerd: on a busy machine, more than 30 s.
test('the app type-checks and its own tests pass (npm run typecheck, npm test)', () => checked(), BROWSER_TEST_TIMEOUT)

test(
  'the page is checked against the DOM types and the Worker against the Workers types',
  async () => {
    // After the type check above, which these two files would fail.
    await checked().catch(() => {})
    writeFileSync(join(app.dir, 'app', 'wrong-side.ts'), 'export const title = document.title\n')
    writeFileSync(join(app.dir, 'client', 'wrong-side.ts'), 'export let state: DurableObjectState | undefined\n')
    const tsc = (project: string) =>
      run(
        process.execPath,
        [join(import.meta.dirname, '..', '..', 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '-p', project],
        { cwd: app.dir },
      ).then(
        () => '',
        (error: { stdout: string }) => error.stdout,
      )
    expect(await tsc('.')).toContain("app/wrong-side.ts(1,22): error TS2584: Cannot find name 'document'.")
    expect(await tsc('client')).toContain("wrong-side.ts(1,19): error TS2304: Cannot find name 'DurableObjectState'.")
  },
  BROWSER_TEST_TIMEOUT,
)
