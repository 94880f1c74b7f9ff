// Only the definition's methods and handlers are reachable over RPC; framework internals are not.
import { afterAll, beforeAll, expect, test } from 'vitest'
import { startWorker, type TestWorker } from '../../../test/support/worker'
import { objectClient, type ObjectClient } from './support/objects'

let worker: TestWorker
let objects: ObjectClient

beforeAll(async () => {
  worker = await startWorker({
    entry: new URL('./fixtures/surface-app.ts', import.meta.url).pathname,
    durableObjects: { FULL: 'Full', METHODS_ONLY: 'MethodsOnly' },
  })
  objects = objectClient(worker)
})
afterAll(() => worker?.dispose())

test('the prototype chain holds exactly the methods and the defined handlers', async () => {
  expect(await (await worker.fetch('/members')).json()).toEqual({
    Full: [
      'alarm',
      'broadcastDuringTurn',
      'broadcastPastADeadSocket',
      'broadcastThenThrow',
      'connectLocalClient',
      'describeThis',
      'detachedMethod',
      'fetch',
      'increment',
      'setUnknownProperty',
      'takeInbox',
      'webSocketClose',
      'webSocketError',
      'webSocketMessage',
    ],
    // Every object has alarm(): the runtime owns the alarm, which runs this.schedule's runs.
    MethodsOnly: ['alarm', 'hello'],
  })
})

test.each(['state', 'ctx', 'env', 'broadcast', 'init', 'methods', 'runtime', 'runTurn', 'load', 'commit', 'queue'])(
  'a stub call to %s fails',
  async (name) => {
    expect(await objects.failure('FULL', 'surface', name)).toEqual({
      name: 'TypeError',
      message: `The RPC receiver does not implement the method "${name}".`,
    })
  },
)

test('a stub call to constructor fails', async () => {
  expect(await objects.failure('FULL', 'surface', 'constructor')).toMatchObject({ name: 'TypeError' })
})

test('handlers are reachable the way workerd allows: fetch yes, alarm and WebSocket handlers not over RPC', async () => {
  await objects.call('FULL', 'handlers', 'increment', 4)
  expect(await (await worker.fetch('/full-fetch?name=handlers')).text()).toBe('value is 4')
  for (const handler of ['alarm', 'webSocketMessage', 'webSocketClose', 'webSocketError']) {
    expect(await objects.failure('FULL', 'handlers', handler)).toMatchObject({
      message: `'${handler}' is a reserved method and cannot be called over RPC.`,
    })
  }
  // Without a fetch handler the class has no fetch: workerd answers stub.fetch() with an error.
  expect(await (await worker.fetch('/methods-only-fetch')).text()).toMatch(/^Error: Handler does not export a fetch\(\) function/)
})

test('this is a per-object context, not the DurableObject instance', async () => {
  expect(await objects.call('FULL', 'this', 'describeThis')).toEqual({
    keys: [
      'broadcast',
      'broadcastDuringTurn',
      'broadcastPastADeadSocket',
      'broadcastThenThrow',
      'caller',
      'connectLocalClient',
      'ctx',
      'describeThis',
      'detachedMethod',
      'env',
      'increment',
      'memory',
      'outside',
      'schedule',
      'setUnknownProperty',
      'state',
      'takeInbox',
    ],
    ctxKeys: ['acceptWebSocket', 'blockConcurrencyWhile', 'env', 'getTags', 'getWebSockets', 'id', 'native', 'sql', 'storage', 'waitUntil'],
    envIsCtxEnv: true,
    idMatches: true,
  })
  expect(await objects.call('FULL', 'this', 'detachedMethod')).toBe(10) // methods are bound to it
})

test('setting anything but this.state on this fails and says why', async () => {
  const error = await objects.failure('FULL', 'this', 'setUnknownProperty')
  expect(error.name).toBe('DurableObjectError')
  expect(error.message).toMatch(/^Full: cannot set this\.cache\. Only this\.state is saved.*this\.memory\.cache = \.\.\./)
})

test('broadcast sends JSON and binary, and skips a socket that fails to send', async () => {
  const result = await objects.call<any>('FULL', 'sockets', 'broadcastPastADeadSocket')
  expect(result.directSendError).not.toBe('') // the dead socket really throws on send
  expect(result.socketsAtBroadcast).toBe(2) // and broadcast still sees it
  expect(await objects.call('FULL', 'sockets', 'takeInbox')).toEqual(['{"hello":"world"}', 'binary'])
})

test('a broadcast made in a turn goes out after the turn commits, and not at all if it throws', async () => {
  await objects.call('FULL', 'outbox', 'connectLocalClient')
  expect(await objects.call('FULL', 'outbox', 'broadcastDuringTurn', 'first')).toEqual([]) // held while the turn ran
  expect(await objects.call('FULL', 'outbox', 'takeInbox')).toEqual(['first'])
  expect(await objects.failure('FULL', 'outbox', 'broadcastThenThrow', 'never')).toMatchObject({ message: 'the broadcast must not go out' })
  expect(await objects.call('FULL', 'outbox', 'takeInbox')).toEqual([])
})
