// `@cloudwerk/core/bindings` over HTTP in workerd, against plain Durable Object classes.
import { afterAll, beforeAll, expect, test } from 'vitest'
import { startWorker, type TestWorker } from '../../../test/support/worker.ts'
import { captureLogs } from './support/logs.ts'

const logs = captureLogs()
let worker: TestWorker

beforeAll(async () => {
  worker = await startWorker({
    entry: new URL('./fixtures/bindings-app.ts', import.meta.url).pathname,
    durableObjects: { COUNTER: 'Counter', CHAT_ROOM: 'ChatRoom', BOOKS: 'Ledger' },
    miniflare: { ...logs.miniflare, bindings: { GREETING: 'hi' } },
  })
})
afterAll(() => worker?.dispose())

const call = async (path: string, init?: RequestInit) => {
  const response = await worker.fetch(path, init)
  return { status: response.status, body: (await response.json()) as Record<string, any> }
}

test('ids are the native ids: name, equals, idFromString, newUniqueId', async () => {
  expect((await call('/ids/x')).body).toEqual({ name: 'x', sameName: true, uniqueDiffers: true, roundTrip: true, idLength: 64 })
})

test('RPC calls reach the object by name and by id, and keep state', async () => {
  expect((await call('/counter/a?amount=5', { method: 'POST' })).body).toEqual({ value: 5 })
  expect((await call('/counter/a?amount=2', { method: 'POST' })).body).toEqual({ value: 7 })
  expect((await call('/counter/a')).body).toEqual({ value: 7, sameId: true, stubName: 'a' })
})

test('fetch on a stub reaches the object fetch handler', async () => {
  expect(await (await worker.fetch('/counter/a/fetch')).text()).toBe('counter fetch PUT /inside')
})

test('a failing method rejects with DurableObjectRPCError naming the object and method', async () => {
  expect((await call('/counter/a/fail')).body).toEqual({
    name: 'DurableObjectRPCError',
    message: 'Counter.fail() failed: boom at the object',
    objectName: 'Counter',
    methodName: 'fail',
    cause: 'boom at the object',
    isRPCError: true,
    isMethodNotFound: false,
    isNotFound: false,
  })
})

test('a method the object does not have is a DurableObjectMethodNotFoundError, not a refusal', async () => {
  const { body } = await call('/counter/a/missing-method')
  expect(body).toMatchObject({
    name: 'DurableObjectMethodNotFoundError',
    objectName: 'Counter',
    methodName: 'notAMethod',
    isRPCError: false,
    isMethodNotFound: true,
  })
  expect(body.message).toMatch(
    /^Counter\.notAMethod\(\): Counter has no method "notAMethod"\. Check the name against the `methods` of its definition/,
  )
  expect(body.cause).toMatch(/RPC receiver does not implement the method "notAMethod"/)
})

test('an uncaught RPC failure is a 500 like any other error', async () => {
  const { status, body } = await call('/counter/a/fail', { method: 'POST' })
  expect(status).toBe(500)
  expect(body).toEqual({ error: 'Internal Server Error' })
  await logs.waitFor(/failed in app\/counter\/\[name\]\/fail\/route\.ts: DurableObjectRPCError: Counter\.fail\(\) failed/)
})

test('a stub can be returned from an async function without being taken for a promise', async () => {
  expect(await (await worker.fetch('/awaited-stub')).text()).toBe('5')
})

test('the binding registered through createApp wins over the naming convention', async () => {
  expect((await call('/ledger')).body).toEqual({ balance: 42 })
})

test('objects can use durableObjects to call other objects', async () => {
  expect(await (await worker.fetch('/peer/lobby')).text()).toBe('hello counter c1')
})

test('middleware can use durableObjects', async () => {
  const first = await worker.fetch('/visits')
  const second = await worker.fetch('/visits')
  expect(await first.text()).toBe('counted')
  expect([first.headers.get('x-visits'), second.headers.get('x-visits')]).toEqual(['1', '2'])
})

test.each(['Nope', 'Ghost'])('an unknown object (%s) throws DurableObjectNotFoundError listing the objects that exist', async (name) => {
  const { body } = await call(`/unknown/${name}`)
  expect(body).toMatchObject({ name: 'DurableObjectNotFoundError', isNotFound: true })
  expect(body.message).toContain(`"${name}"`)
  expect(body.message).toContain('Objects in this app: ChatRoom, Counter, Ledger.')
})

test('env is the Worker env', async () => {
  expect((await call('/env')).body).toEqual({ imported: 'hi', passed: 'hi' })
})
