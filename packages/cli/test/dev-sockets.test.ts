// What docs/websockets.md says about sockets in `cloudwerk dev`: a route edit keeps a WebSocket to
// an object open; an edit to the object's file restarts workerd and the socket is dropped.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import WebSocket from 'ws'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { copyApp, removeApp, startDev, type DevProcess } from './support/dev-process.js'

let dir: string
let dev: DevProcess
beforeAll(async () => {
  dir = copyApp('contract-app')
  const registry = mkdtempSync(join(tmpdir(), 'cw-registry-'))
  dev = await startDev(dir, [], { WRANGLER_REGISTRY_PATH: registry, MINIFLARE_REGISTRY_PATH: registry })
}, 120_000)
afterAll(async () => {
  if (dev.child.exitCode === null) await dev.stop()
  removeApp(dir)
})

const edit = (file: string, change: (text: string) => string) =>
  writeFileSync(join(dir, file), change(readFileSync(join(dir, file), 'utf8')))

test('a route edit keeps a WebSocket to an object open; an object edit drops it', async () => {
  const socket = new WebSocket(dev.url.replace(/^http/, 'ws') + '/api/ws')
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject))
  const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)))
  const say = (message: string) =>
    new Promise<string>((resolve) => {
      socket.once('message', (data) => resolve(String(data)))
      socket.send(message)
    })
  expect(await say('one')).toBe('one 1')

  let from = dev.output().length
  edit('app/route.ts', (text) => text.replace("'home'", "'home, edited'"))
  await dev.waitFor(/Reloaded.*routes swapped in, no restart/, from)
  expect(await say('two')).toBe('two 2')

  from = dev.output().length
  edit('app/objects/counter.ts', (text) => text.replace('ws.send(`${message} ', 'ws.send(`${message}! '))
  await dev.waitFor(/Reloaded.*workerd restart/, from)
  expect(await closed).toBeGreaterThan(1000)
}, 120_000)
