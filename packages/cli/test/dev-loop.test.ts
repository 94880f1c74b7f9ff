// The loop around `cloudwerk dev`: saves made the way tools make them are served, errors point at
// the user's code, and a folder never gets two runtimes.
import { DEV_BINDINGS } from '@cloudwerk/core/dev-wire'
import { execFileSync, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import WebSocket from 'ws'
import { CLI, copyApp, removeApp, startDev, type DevProcess } from './support/dev-process.js'

const registry = mkdtempSync(join(tmpdir(), 'cw-registry-'))
const env = { WRANGLER_REGISTRY_PATH: registry, MINIFLARE_REGISTRY_PATH: registry }
let dir: string
let dev: DevProcess
/** workerd processes seen in this file, stopped at the end if a failed test orphaned one. */
const runtimes = new Set<number>()
beforeAll(async () => {
  dir = copyApp('dev-loop-app')
  dev = await startDev(dir, [], env)
}, 120_000)
afterAll(async () => {
  if (dev?.child.exitCode === null) await dev.stop()
  for (const pid of runtimes) if (isAlive(pid)) process.kill(pid, 'SIGKILL')
  removeApp(dir)
  rmSync(registry, { recursive: true, force: true })
})

function isAlive(pid: number): boolean {
  try {
    return !execFileSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' })
      .trim()
      .startsWith('Z')
  } catch {
    return false
  }
}

function workerdChildren(pid: number): number[] {
  const lines = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(pid)], { encoding: 'utf8' }).split('\n')
  const pids = lines.filter((line) => line.includes('workerd')).map((line) => Number(line.trim().split(/\s+/)[0]))
  for (const child of pids) runtimes.add(child)
  return pids
}

test('a route saved with sed -i (an atomic save, the file replaced), twice, is served each time', async () => {
  const route = join(dir, 'app/api/version/route.ts')
  for (const [from, to] of [
    ['version 1', 'version 2'],
    ['version 2', 'version 3'],
  ]) {
    execFileSync('sed', ['-i', `s/${from}/${to}/`, route])
    expect(await servedVersion(to)).toBe(to)
  }
})

/** What /api/version answers once it is `expected`, or after 20 s. */
async function servedVersion(expected: string): Promise<string> {
  let served = ''
  for (let i = 0; i < 200 && served !== expected; i++) {
    served = await (await fetch(dev.url + '/api/version')).text()
    if (served !== expected) await new Promise((resolve) => setTimeout(resolve, 100))
  }
  return served
}

test("a method that throws: the dev terminal shows the object's side of the stack, at the line in app/objects", async () => {
  const at = dev.output().length
  expect((await fetch(dev.url + '/api/wallet')).status).toBe(500)
  // `return last!.at(-1)` is line 8 of app/objects/wallet.ts.
  await dev.waitFor(
    /\[cloudwerk\] Wallet\.summary\(\) failed: TypeError: Cannot read properties of undefined \(reading 'at'\)\n\s+at .*\(app\/objects\/wallet\.ts:8:\d+\)/,
    at,
  )
})

test('a webSocketMessage that throws is logged with the object, the handler and the line', async () => {
  const at = dev.output().length
  const ws = new WebSocket(dev.url.replace('http', 'ws') + '/api/ws')
  await new Promise((resolve, reject) => ws.on('open', resolve).on('error', reject))
  ws.send(Buffer.from([1, 2, 3]))
  ws.send(JSON.stringify('fine'))
  expect(JSON.parse(String(await new Promise((resolve) => ws.once('message', resolve))))).toBe(1)
  ws.close()
  await dev.waitFor(
    /\[cloudwerk\] Wallet\.webSocketMessage\(\) failed: SyntaxError[^\n]*\n(\s+at [^\n]*\n)*?\s+at .*\(app\/objects\/wallet\.ts:17:\d+\)/,
    at,
  )
})

test("a missing object's error lists the app's objects, not dev's internal bindings", async () => {
  const { error } = (await (await fetch(dev.url + '/api/missing')).json()) as { error: string }
  expect(error).toContain('No Durable Object named "Walet". Did you mean "Wallet"? Objects in this app: Wallet.')
  expect(error).not.toContain('CloudwerkDevRoutes')
})

test('a second cloudwerk dev in the same folder stops, naming the first one: its PID and where it serves', async () => {
  const second = spawn(process.execPath, [CLI, 'dev', '--port', '0'], { cwd: dir, env: { ...process.env, ...env, NO_COLOR: '1' } })
  let output = ''
  second.stdout.on('data', (chunk) => (output += chunk))
  second.stderr.on('data', (chunk) => (output += chunk))
  const code = await new Promise((resolve) => second.on('exit', resolve))
  expect(code).toBe(1)
  expect(output).toContain(`cloudwerk dev is already running in ${dir} (PID ${dev.child.pid}, serving ${dev.url}).`)
  expect(output).toContain(`kill ${dev.child.pid}`)
  // The first one still serves, and still holds the lock.
  expect(await (await fetch(dev.url + '/api/version')).text()).toBe('version 3')
  expect(JSON.parse(readFileSync(join(dir, '.wrangler/state/cloudwerk-dev.json'), 'utf8')).dev.pid).toBe(dev.child.pid)
})

test("the routes bundle's code is not handed out on Miniflare's loopback port", async () => {
  // The port workerd calls back into Node on, from its command line in the lock file.
  const lock = JSON.parse(readFileSync(join(dir, '.wrangler/state/cloudwerk-dev.json'), 'utf8')) as { runtimes: Array<{ command: string }> }
  const loopback = /--external-addr=loopback=(\S+)/.exec(lock.runtimes[0].command)![1]
  // The app is one of dev's Workers (the custom service is named by its index): ask each.
  for (const worker of [0, 1, 2]) {
    const response = await fetch(`http://${loopback}/routes`, {
      headers: { 'MF-Custom-Fetch-Service': `${worker}/#${DEV_BINDINGS.routes}` },
    })
    // At most the current version's name: the code is read by workerd from a folder.
    expect(await response.text()).not.toContain('app/api/version/route.ts')
  }
})

test(
  'killed the moment its runtime first answers: the next start stops that runtime and takes the port',
  { timeout: 120_000 },
  async () => {
    await dev.stop()
    const port = await freePort()
    const killed = spawn(process.execPath, [CLI, 'dev', '--port', String(port)], {
      cwd: dir,
      env: { ...process.env, ...env, NO_COLOR: '1' },
      stdio: 'ignore',
    })
    const exited = new Promise((resolve) => killed.on('exit', resolve))
    // Ask until workerd answers anything, then kill dev at once: no time for late bookkeeping.
    for (let answered = false; !answered;) {
      answered = await fetch(`http://127.0.0.1:${port}/api/version`).then(
        () => true,
        () => false,
      )
      if (!answered) await new Promise((resolve) => setTimeout(resolve, 5))
    }
    const [orphan] = workerdChildren(killed.pid!)
    killed.kill('SIGKILL')
    await exited
    expect(isAlive(orphan)).toBe(true)

    dev = await startDev(dir, ['--port', String(port)], env)
    expect(new URL(dev.url).port).toBe(String(port))
    expect(isAlive(orphan)).toBe(false)
    expect(await (await fetch(dev.url + '/api/version')).text()).toBe('version 3')
  },
)

function freePort(): Promise<number> {
  const server = createServer()
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    }),
  )
}
