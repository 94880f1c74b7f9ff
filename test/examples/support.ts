// End-to-end support for the examples and templates: each test file copies one example (or creates
// an app from a template) in a temporary folder, runs the real `cloudwerk dev` on it (build, then
// workerd through Miniflare) and talks to it over HTTP and WebSocket, or through Chromium.
import { execFile, execFileSync } from 'node:child_process'
import { cpSync, existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs'
import { on } from 'node:events'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { chromium, type Browser } from 'playwright-core'
import { afterAll, beforeAll } from 'vitest'
import WebSocket from 'ws'
import { CLI, startDev, type DevProcess } from '../../packages/cli/test/support/dev-process.js'

const REPO = join(import.meta.dirname, '..', '..')
export const TSC = join(REPO, 'node_modules', 'typescript', 'bin', 'tsc')
const run = promisify(execFile)

export interface RunningExample {
  dir: string
  url: string
  dev: DevProcess
  stop(): Promise<void>
}

export interface ExampleUnderTest extends RunningExample {
  /** Resolves when the example type-checks; `tsc` starts with the server and runs beside the tests. */
  typechecked(): Promise<void>
}

/**
 * The test file's example: served before its tests, type-checked beside them, stopped after them.
 * The returned object is filled in by the time the first test runs.
 */
export function useExample(name: string): ExampleUnderTest {
  const example = {} as ExampleUnderTest
  beforeAll(async () => {
    const running = await startExample(name)
    Object.assign(example, running, { typechecked: inBackground(typecheck(running.dir)) })
  })
  afterAll(() => example.stop?.())
  return example
}

/**
 * Copies examples/<name> (without what a build or a dev run left there) to a temporary folder
 * and serves it. The copy keeps the example's own folder clean and gives every run fresh storage.
 */
async function startExample(name: string): Promise<RunningExample> {
  const source = join(REPO, 'examples', name)
  const dir = mkdtempSync(join(tmpdir(), `cw-example-${name}-`))
  cpSync(source, dir, {
    recursive: true,
    filter: (path) => !/(^|\/)(node_modules|\.cloudwerk|\.wrangler|dist)(\/|$)/.test(path.slice(source.length)),
  })
  return serve(dir)
}

/** Creates an app from templates/<name> with the real `cloudwerk create --link` and serves it. */
export async function startFromTemplate(name: string): Promise<RunningExample> {
  const parent = mkdtempSync(join(tmpdir(), `cw-template-${name}-`))
  const dir = join(parent, 'app')
  await run(process.execPath, [CLI, 'create', dir, '--template', name, '--link', '--no-install'])
  return serve(dir, parent)
}

/** Serves the app in `dir` with `cloudwerk dev --port 0`, its packages resolved from the repository. */
async function serve(dir: string, temporary = dir): Promise<RunningExample> {
  symlinkSync(join(REPO, 'node_modules'), join(dir, 'node_modules'))
  const dev = await startDev(dir)
  return {
    dir,
    url: dev.url,
    dev,
    async stop() {
      if (dev.child.exitCode === null) await dev.stop()
      rmSync(temporary, { recursive: true, force: true })
    },
  }
}

/**
 * Starts `work` now, beside the tests that follow, and returns what a later test awaits to get
 * its outcome: it throws what `work` threw. (A rejection nobody awaits yet would be reported as
 * unhandled.)
 */
export function inBackground(work: Promise<unknown>): () => Promise<void> {
  const outcome = work.then(
    () => undefined,
    (error: unknown) => ({ error }),
  )
  return async () => {
    const failed = await outcome
    if (failed) throw failed.error
  }
}

/** The app's own test suite (`vitest run` in its folder); rejects with vitest's report. */
export async function runAppTests(dir: string): Promise<void> {
  // Without the variables of the vitest running this file, which would make the inner one a worker of it.
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('VITEST')))
  await run(process.execPath, [join(REPO, 'node_modules', 'vitest', 'vitest.mjs'), 'run'], {
    cwd: dir,
    env: { ...env, NO_COLOR: '1' },
  }).catch((error: { stdout?: string; stderr?: string }) => {
    throw new Error(`The app's tests failed:\n${error.stdout}${error.stderr}`)
  })
}

/**
 * `cloudwerk types`, then `tsc --noEmit` over each world that has a tsconfig: the app (Workers
 * types), test/ and client/ (DOM types), as the apps' `npm run typecheck` does; rejects with the
 * compiler's output. An app typed by `wrangler types` (its tsconfig includes
 * worker-configuration.d.ts, as the templates' do) gets that file from `cloudwerk types` too.
 */
export async function typecheck(dir: string): Promise<void> {
  await run(process.execPath, [CLI, 'types'], { cwd: dir })
  const projects = ['.', 'test', 'client'].filter((project) => existsSync(join(dir, project, 'tsconfig.json')))
  for (const project of projects) {
    await run(process.execPath, [TSC, '--noEmit', '-p', project], { cwd: dir }).catch((error: { stdout?: string; stderr?: string }) => {
      throw new Error(`tsc -p ${project} failed in ${dir}:\n${error.stdout}${error.stderr}`)
    })
  }
}

export type Frame = { type: string; [key: string]: any }

export interface Client {
  socket: WebSocket
  /** The next frame received (they queue until read). */
  next(): Promise<Frame>
  send(frame: object): void
  close(): Promise<void>
}

/** Opens a WebSocket to `path` on the running example; rejects with the status if the upgrade is refused. */
export async function connect(example: RunningExample, path: string): Promise<Client> {
  const socket = new WebSocket(example.url.replace(/^http/, 'ws') + path)
  const frames = on(socket, 'message')
  await new Promise<void>((resolve, reject) => {
    socket.once('open', resolve)
    socket.once('unexpected-response', (_request, response) => reject(new Error(`${path} answered ${response.statusCode}, not an upgrade`)))
    socket.once('error', reject)
  })
  return {
    socket,
    async next() {
      const { value } = await frames.next()
      return JSON.parse(String(value[0]))
    },
    send: (frame) => socket.send(JSON.stringify(frame)),
    close: () =>
      new Promise((resolve) => {
        socket.once('close', () => resolve())
        socket.close(1000)
      }),
  }
}

/** A request to the running example: its status, headers and body (parsed when it is JSON). */
export async function request(example: RunningExample, path: string, init?: RequestInit) {
  const response = await fetch(example.url + path, init)
  const type = response.headers.get('content-type') ?? ''
  const body = type.includes('json') ? await response.json() : await response.text()
  return { status: response.status, headers: response.headers, body }
}

/** For a test that drives Chromium, which on a busy machine takes longer than the default 30 s. */
export const BROWSER_TEST_TIMEOUT = 60_000

/** For the test that awaits the type check (`cloudwerk types`, then tsc once or twice): as long. */
export const TYPECHECK_TIMEOUT = 60_000

/**
 * Debian's Chromium, driven by playwright-core (which brings no browser of its own). The flags
 * keep it headless and quiet: no sandbox (containers lack the namespaces), no GPU, no QUIC, and
 * none of the background traffic a first run starts.
 */
export async function launchChromium(): Promise<Browser> {
  let executablePath: string
  try {
    executablePath = execFileSync('which', ['chromium'], { encoding: 'utf8' }).trim()
  } catch {
    throw new Error('The browser tests need Chromium: install it with `apt-get update && apt-get install -y chromium`.')
  }
  return chromium.launch({
    executablePath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
}
