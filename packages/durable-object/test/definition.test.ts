// defineDurableObject refuses definitions the framework cannot honour, naming the problem and
// the fix. Validation is pure, so the table runs in Node; the startup failures run in workerd.
import { describe, expect, test } from 'vitest'
import { startWorker } from '../../../test/support/worker'
import { defineDurableObject } from '../src/define'
import { DurableObjectConfigError } from '../src/errors'

const define = (definition: unknown) => () => defineDurableObject(definition as never)

describe('defineDurableObject accepts', () => {
  test('every option of the reference, and returns the definition unchanged', () => {
    const definition = {
      sqlite: true as const,
      init: () => ({ value: 0 }),
      schema: { safeParse: () => ({ success: true as const, data: {} }) },
      queueTimeoutMs: 1000,
      fetch: () => new Response(''),
      alarm: () => {},
      webSocketMessage: () => {},
      webSocketClose: () => {},
      webSocketError: () => {},
      methods: { increment() {}, init() {}, toJSON() {} },
      schedules: {
        sweep: { every: '30 minutes', run: 'increment' },
        digest: { cron: '0 9 * * 1-5', timezone: 'Europe/Paris', run: 'increment' },
      },
      client: { state: ['value'], methods: ['increment'] },
    }
    expect(defineDurableObject(definition)).toBe(definition)
    // Branded with one non-enumerable symbol, so spreading or serializing it leaves the brand out.
    const brands = Object.getOwnPropertySymbols(definition)
    expect(brands.map((symbol) => Object.getOwnPropertyDescriptor(definition, symbol)?.enumerable)).toEqual([false])
    expect(Object.getOwnPropertySymbols({ ...definition })).toEqual([])
  })

  test('an empty definition', () => {
    expect(() => defineDurableObject({})).not.toThrow()
  })
})

describe('defineDurableObject refuses', () => {
  const cases: Array<[string, unknown, RegExp]> = [
    ['a non-object', 'counter', /expected an object like \{ init, methods \}, got "counter"/],
    [
      'sqlite: false',
      { sqlite: false },
      /sqlite: false is not supported: every Cloudwerk object is SQLite-backed.*Fix: remove the `sqlite` option, or write `sqlite: true`/,
    ],
    [
      'a method named like a handler',
      { methods: { fetch() {} } },
      /method `fetch` is a handler, not an RPC method\. Fix: define it at the top level of the definition, next to `methods`: fetch\(\.\.\.\)/,
    ],
    ['a method named alarm', { methods: { alarm() {} } }, /method `alarm` is a handler/],
    ['a method named webSocketMessage', { methods: { webSocketMessage() {} } }, /method `webSocketMessage` is a handler/],
    ['a method named state', { methods: { state() {} } }, /method `state` would hide this\.state\. Fix: rename the method/],
    ['a method named ctx', { methods: { ctx() {} } }, /method `ctx` would hide this\.ctx/],
    ['a method named env', { methods: { env() {} } }, /method `env` would hide this\.env/],
    ['a method named broadcast', { methods: { broadcast() {} } }, /method `broadcast` would hide this\.broadcast\(\)/],
    ['a method named outside', { methods: { outside() {} } }, /method `outside` would hide this\.outside\(\)\. Fix: rename the method/],
    ['a method named memory', { methods: { memory() {} } }, /method `memory` would hide this\.memory/],
    ['a memory that is not a function', { memory: {} }, /`memory` must be a function, got an object/],
    [
      'a method named constructor',
      { methods: Object.defineProperty({}, 'constructor', { value() {}, enumerable: true }) },
      /method `constructor` names the class constructor/,
    ],
    ['a method named then', { methods: { then() {} } }, /method `then` would make every stub look like a Promise/],
    ['a method named dup', { methods: { dup() {} } }, /method `dup` is built into every RPC stub/],
    ['a method named connect', { methods: { connect() {} } }, /method `connect` is the platform handler for TCP sockets/],
    ['a method starting with __', { methods: { __internal() {} } }, /method `__internal`: names starting with "__" are reserved/],
    [
      'a method that is not a function',
      { methods: { count: 0 } },
      /method `count` must be a function, got 0\. Fix: write count\(\.\.\.\) \{ \.\.\. \}, or keep data in state/,
    ],
    [
      'a getter method',
      {
        methods: {
          get total() {
            return 1
          },
        },
      },
      /method `total` is a getter or setter/,
    ],
    ['methods that are not an object', { methods: [() => {}] }, /`methods` must be an object of functions, got an array/],
    ['a handler that is not a function', { fetch: 'index.html' }, /`fetch` must be a function, got "index\.html"/],
    [
      'an init that is not a function',
      { init: { value: 0 } },
      /`init` must be a function, got an object\. Fix: write `init\(\.\.\.\) \{ \.\.\. \}`/,
    ],
    ['a schema without safeParse', { schema: { parse() {} } }, /`schema` must be a zod schema \(or anything with safeParse\)/],
    ['a bad queueTimeoutMs', { queueTimeoutMs: -1 }, /`queueTimeoutMs` must be a positive number of milliseconds, got -1/],
    ['a misspelled option', { method: {} }, /unknown option `method`\. Fix: did you mean `methods`\?/],
    ['a misspelled handler', { fecth() {} }, /unknown option `fecth`\. Fix: did you mean `fetch`\?/],
    [
      'a method at the top level',
      { increment() {} },
      /unknown option `increment`\. Fix: RPC methods go inside `methods`: methods: \{ increment\(\.\.\.\) \{ \.\.\. \} \}/,
    ],
    ['an unknown option', { storage: 'kv' }, /unknown option `storage`\. Fix: the options are: init, schema, sqlite, memory, methods/],
    [
      'a missing step',
      { version: 3, migrate: { 2: (old: unknown) => old } },
      /version is 3 but migrate\[3\] is missing: objects stored at version 2 could not be brought to 3\. Fix: add 3: \(old\) => \(\{ \.\.\.old \}\) to `migrate`/,
    ],
    ['a version without steps', { version: 2 }, /version 2 needs `migrate` with a step for each version from 2 to 2/],
    [
      'steps without a version',
      { migrate: { 2: (old: unknown) => old } },
      /migrate\["2"\] is not a step this definition can run: without `version` the state is at version 1, so no step ever runs\. Fix: add `version: 2`/,
    ],
    [
      'a step beyond the version',
      { version: 2, migrate: { 2: (old: unknown) => old, 3: (old: unknown) => old } },
      /migrate\["3"\] is not a step this definition can run: `version` is 2, so steps go from 2 to 2/,
    ],
    ['a step 1', { version: 2, migrate: { 1: (old: unknown) => old, 2: (old: unknown) => old } }, /migrate\["1"\] is not a step/],
    [
      'a step that is not a function',
      { version: 2, migrate: { 2: { title: '' } } },
      /migrate\[2\] must be a function \(old\) => next, got an object/,
    ],
    ['a method named caller', { methods: { caller() {} } }, /method `caller` would hide this\.caller/],
    [
      'a method named connectClient',
      { methods: { connectClient() {} } },
      /method `connectClient` is the stub method routes use to connect a browser/,
    ],
    [
      'a client that is not an object',
      { client: ['send'] },
      /`client` must be an object, got an array\. Fix: write client: \{ state: \['topic', 'messages'\], methods: \['send'\] \}/,
    ],
    ['an unknown client option', { client: { keys: [] } }, /unknown option `client\.keys`\. Fix: `client` takes `state` and `methods`/],
    ['client.state that is not a list of names', { client: { state: 'topic' } }, /`client\.state` must be an array of names, got "topic"/],
    [
      'client.methods naming no method',
      { methods: { send() {} }, client: { methods: ['sned'] } },
      /`client\.methods` names `sned`, which is not in `methods`\. Fix: did you mean `send`\?/,
    ],
    [
      'client.methods naming a prototype name',
      { methods: { send() {} }, client: { methods: ['constructor'] } },
      /`client\.methods` names `constructor`, which is not in `methods`/,
    ],
    ['a version that is not a whole number', { version: 2.5, migrate: {} }, /`version` must be a whole number from 1 up, got 2\.5/],
    [
      'a schedule running a method that does not exist',
      { schedules: { sweep: { every: '1 hour', run: 'swep' } }, methods: { sweep() {}, close() {} } },
      /schedule `sweep` runs `swep`, which is not in `methods`\. Fix: set run to the name of a method \(sweep, close\)/,
    ],
    [
      'a schedule without run',
      { schedules: { sweep: { every: '1 hour' } } },
      /schedule `sweep` runs no method \(`run` is missing\)\. Fix: set run to the name of a method, and add that method to `methods`/,
    ],
    [
      'a schedule with both every and cron',
      { schedules: { s: { every: '1 hour', cron: '0 * * * *', run: 'go' } }, methods: { go() {} } },
      /schedule `s` needs exactly one of `every` and `cron`/,
    ],
    [
      'an interval it cannot read',
      { schedules: { s: { every: 'fortnightly', run: 'go' } }, methods: { go() {} } },
      /schedule `s`: every: "fortnightly" is not an interval: write a number and a unit, e\.g\. "30 minutes"/,
    ],
    [
      'a cron it cannot read',
      { schedules: { s: { cron: '0 25 * * *', run: 'go' } }, methods: { go() {} } },
      /schedule `s`: cron: "0 25 \* \* \*": the hour field "25" is out of range \(0-23\)/,
    ],
    [
      'a cron that never runs',
      { schedules: { s: { cron: '0 0 30 2 *', run: 'go' } }, methods: { go() {} } },
      /cron "0 0 30 2 \*" never runs/,
    ],
    [
      'an unknown time zone',
      { schedules: { s: { cron: '0 9 * * *', timezone: 'Paris', run: 'go' } }, methods: { go() {} } },
      /timezone: "Paris" is not a time zone this runtime knows/,
    ],
    [
      'a time zone on an interval',
      { schedules: { s: { every: '1 day', timezone: 'Europe/Paris', run: 'go' } }, methods: { go() {} } },
      /`timezone` only applies to `cron`/,
    ],
    [
      'an unknown schedule option',
      { schedules: { s: { every: '1 day', run: 'go', args: [1] } }, methods: { go() {} } },
      /schedule `s` has an unknown option `args`/,
    ],
  ]
  test.each(cases)('%s', (_, definition, message) => {
    expect(define(definition)).toThrow(DurableObjectConfigError)
    expect(define(definition)).toThrow(message)
  })

  test('errors carry their class name', () => {
    try {
      defineDurableObject({ sqlite: false } as never)
    } catch (error) {
      expect((error as Error).name).toBe('DurableObjectConfigError')
      expect((error as Error).message).toMatch(/^defineDurableObject: /)
    }
    expect.assertions(2)
  })
})

describe('a Worker with a broken object does not start', () => {
  const start = (fixture: string) =>
    startWorker({ entry: new URL(`./fixtures/broken/${fixture}.ts`, import.meta.url).pathname, durableObjects: { COUNTER: 'Counter' } })

  test('createDurableObjectClass on something defineDurableObject did not return names the file and the fix', async () => {
    await expect(start('not-a-definition')).rejects.toThrow(
      /DurableObjectConfigError: app\/objects\/counter\.ts: the default export must be the result of defineDurableObject\(\.\.\.\), but it is a plain object with keys init, methods\. Write:\s+import \{ defineDurableObject \} from '@cloudwerk\/durable-object'\s+export default defineDurableObject\(\{/,
    )
  })

  test('sqlite: false stops the Worker with the config error', async () => {
    await expect(start('sqlite-false')).rejects.toThrow(/DurableObjectConfigError: defineDurableObject: sqlite: false is not supported/)
  })
})
