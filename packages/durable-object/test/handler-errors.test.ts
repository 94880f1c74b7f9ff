// Errors that end a handler turn are logged: a handler (webSocketMessage, fetch, alarm) has no
// caller that would print them. In production once, with the object and the handler; a method's
// error goes to its caller instead. In dev (CLOUDWERK_DEV) a method's error is logged too, with
// the stack on the object's side, which RPC does not carry to the caller.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startWorker, type TestWorker } from '../../../test/support/worker'
import { captureLogs, type CapturedLogs } from '../../core/test/support/logs'
import { objectClient } from './support/objects'

const entry = new URL('./fixtures/handler-errors-app.ts', import.meta.url).pathname

async function openSocket(worker: TestWorker): Promise<WebSocket> {
  const response = await worker.fetch('/socket', { headers: { Upgrade: 'websocket' } })
  const ws = (response as unknown as { webSocket: WebSocket }).webSocket
  ws.accept()
  return ws
}

describe('in production', () => {
  const logs = captureLogs()
  let worker: TestWorker
  beforeAll(async () => {
    worker = await startWorker({ entry, durableObjects: { FAULTY: 'Faulty' }, miniflare: logs.miniflare })
  })
  afterAll(() => worker?.dispose())

  test('a webSocketMessage that throws (a binary frame JSON.parse cannot read) is logged once, naming object and handler', async () => {
    const ws = await openSocket(worker)
    ws.send(new Uint8Array([1, 2, 3]))
    await logs.waitFor(/\[cloudwerk\] Faulty\.webSocketMessage\(\) failed: SyntaxError/)
    // A second frame that parses proves the first one's turn is over (turns run in order).
    ws.send('{}')
    expect(
      await objectClient(worker)
        .call('FAULTY', 'f', 'fail')
        .catch((error: Error) => error.message),
    ).toBe('a method refused')
    expect(logs.lines.filter((line) => line.includes('Faulty.webSocketMessage() failed'))).toHaveLength(1)
  })

  test("a method's error goes to its caller and is not logged by the object", async () => {
    await objectClient(worker).failure('FAULTY', 'f', 'fail')
    expect(logs.lines.join('\n')).not.toContain('Faulty.fail() failed')
  })

  test('a fetch handler and an alarm that throw are logged', async () => {
    expect((await worker.fetch('/broken-fetch')).status).toBe(500)
    await logs.waitFor(/\[cloudwerk\] Faulty\.fetch\(\) failed: Error: fetch failed on purpose/)
    await objectClient(worker).call('FAULTY', 'f', 'armAlarm')
    await logs.waitFor(/\[cloudwerk\] Faulty\.alarm\(\) failed: Error: alarm failed on purpose/, 10_000)
  })
})

describe('in dev', () => {
  const logs = captureLogs()
  let worker: TestWorker
  beforeAll(async () => {
    worker = await startWorker({
      entry,
      durableObjects: { FAULTY: 'Faulty' },
      miniflare: { ...logs.miniflare, bindings: { CLOUDWERK_DEV: true } },
    })
  })
  afterAll(() => worker?.dispose())

  test("a method's error is logged with the stack on the object's side", async () => {
    await objectClient(worker).failure('FAULTY', 'f', 'fail')
    await logs.waitFor(/\[cloudwerk\] Faulty\.fail\(\) failed: Error: a method refused/)
    const at = logs.lines.findIndex((line) => line.includes('Faulty.fail() failed'))
    expect(logs.lines[at + 1]).toMatch(/^\s+at .*fail/)
  })
})
