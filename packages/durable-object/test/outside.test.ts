// this.outside(work) in workerd: the call so far commits, the object is released while work
// awaits a slow service (other calls, fetch, alarms, WebSocket events run), and the call comes
// back in as a new atomic segment ahead of calls queued later. One test per rule of the contract.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startWorker, type TestWorker } from '../../../test/support/worker'
import { objectClient, type ObjectClient } from './support/objects'

let worker: TestWorker
let objects: ObjectClient

/**
 * The slow service, in this Node process: /gate?key=k answers once the test opens gate k;
 * /notify?key=k records k; /echo?value=v answers v. `seen(x)` resolves once x happened.
 */
function createSlowService() {
  const opened = new Map<string, string>()
  const pending = new Map<string, Array<(value: string) => void>>()
  const happened = new Set<string>()
  const watchers: Array<{ name: string; resolve: () => void }> = []
  const note = (name: string) => {
    happened.add(name)
    for (const watcher of watchers.filter((candidate) => candidate.name === name)) {
      watchers.splice(watchers.indexOf(watcher), 1)
      watcher.resolve()
    }
  }
  return {
    async handle(request: Request): Promise<Response> {
      const url = new URL(request.url)
      const key = url.searchParams.get('key') ?? ''
      if (url.pathname === '/echo') return new Response(url.searchParams.get('value'))
      if (url.pathname === '/notify') {
        note(key)
        return new Response('noted')
      }
      note(`gate:${key}`)
      const value = opened.get(key) ?? (await new Promise<string>((resolve) => pending.set(key, [...(pending.get(key) ?? []), resolve])))
      return new Response(value)
    },
    open(key: string, value = 'done') {
      opened.set(key, value)
      for (const resolve of pending.get(key) ?? []) resolve(value)
      pending.delete(key)
    },
    seen(name: string): Promise<void> {
      if (happened.has(name)) return Promise.resolve()
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`"${name}" did not happen within 5 s`)), 5000)
        watchers.push({ name, resolve: () => (clearTimeout(timer), resolve()) })
      })
    },
  }
}

const slow = createSlowService()

beforeAll(async () => {
  worker = await startWorker({
    entry: new URL('./fixtures/outside-app.ts', import.meta.url).pathname,
    durableObjects: { ROOM: 'OutsideRoom', PATIENT: 'PatientRoom', CALLER: 'Caller', BROKEN: 'BrokenMemory' },
    miniflare: { serviceBindings: { SLOW: (request) => slow.handle(request as unknown as Request) as never } },
  })
  objects = objectClient(worker)
})
afterAll(() => worker?.dispose())

const read = (name: string) => objects.call<{ count: number; log: string[] }>('ROOM', name, 'read')
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function connect(name: string) {
  const response = await worker.fetch(`/room?name=${name}`, { headers: { Upgrade: 'websocket' } })
  const ws = (response as unknown as { webSocket: WebSocket }).webSocket
  const received: string[] = []
  ws.addEventListener('message', (event) => received.push(String(event.data)))
  ws.accept()
  const next = async (text: string) => {
    for (const deadline = Date.now() + 5000; !received.includes(text); await sleep(10)) {
      if (Date.now() > deadline) throw new Error(`no "${text}" on the socket; got ${JSON.stringify(received)}`)
    }
  }
  return { ws, received, next }
}

describe('1. the call so far is committed when it steps out', () => {
  test('state and broadcasts made before this.outside are visible while work runs', async () => {
    const client = await connect('commit')
    const asking = objects.call<any>('ROOM', 'commit', 'ask', 'a')
    await slow.seen('gate:a')
    // The call is outside: another call reads its first segment, the socket heard its broadcast.
    expect((await read('commit')).log).toEqual(['a:before'])
    await client.next('a:before')
    slow.open('a')
    expect(await asking).toEqual({ reply: 'done', log: ['a:before', 'a:done'] })
    client.ws.close()
  })

  test('a commit that fails at this.outside throws before work runs, and writes nothing', async () => {
    const result = await objects.call<any>('ROOM', 'invalid', 'invalidThenOutside')
    expect(result.workRan).toBe(false)
    expect(result.error.name).toBe('DurableObjectStateError')
    expect(result.error.message).toMatch(/state\.count/)
    expect(result.stillInvalid).toBe(-1) // the call is still in its segment, and may fix it
    expect((await read('invalid')).count).toBe(7)
  })
})

describe('2. while work runs, the object is released', () => {
  test('fetch, alarm and WebSocket events run while a call is outside', async () => {
    for (const key of ['fetch-meanwhile', 'socket-meanwhile', 'alarm-others']) slow.open(key)
    const client = await connect('others')
    const asking = objects.call<any>('ROOM', 'others', 'ask', 'away')
    await slow.seen('gate:away')
    expect(await (await worker.fetch('/room?name=others&key=fetch-meanwhile')).text()).toBe('done')
    client.ws.send('socket-meanwhile')
    await client.next('socket-meanwhile:done')
    await objects.call('ROOM', 'others', '__cloudwerkTest', { op: 'runAlarm' })
    slow.open('away')
    expect((await asking).log).toEqual([
      'away:before',
      'fetch-meanwhile:before',
      'fetch-meanwhile:done',
      'socket-meanwhile:before',
      'socket-meanwhile:done',
      'alarm:before',
      'alarm:done',
      'away:done',
    ])
    client.ws.close()
  })

  test('two calls overlapping on this.outside both commit', async () => {
    const x = objects.call<any>('ROOM', 'overlap', 'ask', 'x')
    // y once x is outside: two requests have no order between them until one is seen.
    await slow.seen('gate:x')
    const y = objects.call<any>('ROOM', 'overlap', 'ask', 'y')
    await slow.seen('gate:y')
    slow.open('y', 'second')
    expect((await y).reply).toBe('second')
    slow.open('x', 'first')
    expect((await x).reply).toBe('first')
    expect((await read('overlap')).log).toEqual(['x:before', 'y:before', 'y:second', 'x:first'])
  })

  test('A -> B -> A: a call back into the object runs while A is outside; without it, the timeout names this.outside', async () => {
    expect(await objects.call('ROOM', 'reentry', 'callThroughPeer', 'reentry', true)).toEqual({ ok: true, log: ['called back'] })
    const held = await objects.call<any>('ROOM', 'reentry', 'callThroughPeer', 'reentry', false)
    expect(held.ok).toBe(false)
    expect(held.message).toMatch(
      /the call to "append" waited \d+ ms for "callThroughPeer", which has been running for \d+ ms, awaiting something/,
    )
    expect(held.message).toMatch(/cycle.*in "callThroughPeer", wrap that await in this\.outside.*queueTimeoutMs/)
  })

  test('two works under one Promise.all: the call comes back once both settled', async () => {
    const both = objects.call<string[]>('ROOM', 'two', 'twoAtOnce')
    await Promise.all([slow.seen('gate:two-a'), slow.seen('gate:two-b')])
    slow.open('two-a', 'a')
    await sleep(50)
    expect(await objects.call('ROOM', 'two', 'append', 'meanwhile')).toEqual(['meanwhile']) // still released
    slow.open('two-b', 'b')
    expect(await both).toEqual(['meanwhile', 'two:a+b'])
  })

  test('a call that returns without awaiting this.outside ends once its work settled', async () => {
    let ended = false
    const call = objects.call('ROOM', 'unawaited', 'returnWithoutAwaiting', 'u').finally(() => (ended = true))
    await slow.seen('gate:u')
    expect(await objects.call('ROOM', 'unawaited', 'append', 'meanwhile')).toEqual(['meanwhile'])
    expect(ended).toBe(false)
    slow.open('u')
    expect(await call).toBe('returned')
  })
})

describe('3. the call comes back ahead of calls queued later, and sees the latest state', () => {
  test('it waits for the running turn, then runs before a call that queued after it', async () => {
    // PATIENT: "later" waits in line behind hold(), longer than ROOM's short queue bound on a busy machine.
    const asking = objects.call<string[]>('PATIENT', 'order', 'askAndSignal', 'r')
    await slow.seen('gate:r')
    const holding = objects.call('PATIENT', 'order', 'hold', 'h')
    await slow.seen('h:holding') // hold() now runs and keeps the object while it awaits
    slow.open('r')
    await slow.seen('r:settled') // r's work is over: it waits behind hold() to come back in
    const later = objects.call<string[]>('PATIENT', 'order', 'append', 'later')
    await sleep(100) // let "later" reach the queue behind hold()
    slow.open('h')
    await holding
    // r's second segment saw what hold() committed meanwhile, and ran before "later".
    expect(await asking).toEqual(['r:before', 'h:holding', 'h:released', 'r:after'])
    expect(await later).toEqual(['r:before', 'h:holding', 'h:released', 'r:after', 'later'])
  })
})

describe('4. the rest of the call is its own atomic segment', () => {
  test('a throw after this.outside rolls back only what changed after it', async () => {
    const failure = await objects.failure('ROOM', 'rollback', 'failAfterOutside')
    expect(failure.message).toBe('failed after this.outside')
    expect(await read('rollback')).toEqual({ count: 0, log: ['kept'] })
    await worker.restart()
    expect(await read('rollback')).toEqual({ count: 0, log: ['kept'] })
  })

  test('this.outside returns what work returned, or throws what it threw', async () => {
    expect(await objects.call('ROOM', 'results', 'outsideResults')).toEqual({
      value: { answer: 42 },
      syncValue: 'not a promise',
      thrown: 'work failed',
    })
    expect(await objects.call('ROOM', 'results', 'detached')).toBe('from work') // const { outside } = this works too
  })
})

describe('5. inside work, this.state is read-only and broadcast sends at once', () => {
  test.each([
    [
      'assigning a key',
      'assign',
      /state\.count was changed inside this\.outside\(work\).*Return what you need from work and change the state after it/,
    ],
    ['pushing to an array', 'push', /state\.log\[0\] was changed inside this\.outside\(work\)/],
    ['replacing this.state', 'replace', /state was changed inside this\.outside\(work\)/],
    ['calling a method that changes state', 'method', /state\.log.* was changed inside this\.outside\(work\)/],
    [
      'a value read before this.outside',
      'old reference',
      /was changed through a value read from this\.state before `await this\.outside\(\.\.\.\)`.*Read it again from this\.state/,
    ],
  ])('%s is refused with the fix', async (_, how, message) => {
    const error = await objects.call<any>('ROOM', `refuse-${how}`, 'changeInsideWork', how)
    expect(error.name).toBe('DurableObjectStateError')
    expect(error.message).toMatch(message)
    expect(await read(`refuse-${how}`)).toEqual({ count: 0, log: [] })
  })

  test('reading this.state inside work works; a value read before is read-only after', async () => {
    expect(await objects.call('ROOM', 'reads', 'readInsideWork')).toBe(1)
    expect(await objects.call('ROOM', 'reads', 'changeThroughOldReference')).toMatch(/read-only/)
    expect((await read('reads')).log).toEqual(['fresh'])
  })

  test('a change through this.state after the call ended is refused, even while another call runs', async () => {
    await objects.call('ROOM', 'late', 'changeLater')
    const holding = objects.call('ROOM', 'late', 'hold', 'late') // running when the timer fires
    await slow.seen('late:holding')
    await sleep(200)
    slow.open('late')
    await holding
    expect(await objects.call('ROOM', 'late', 'lateChange')).toMatch(/state\.count was changed outside a call/)
    expect(await read('late')).toEqual({ count: 0, log: ['late:holding', 'late:released'] })
  })

  test('this.broadcast inside work is sent at once', async () => {
    const client = await connect('loud')
    const call = objects.call('ROOM', 'loud', 'broadcastInsideWork', 'w')
    await slow.seen('gate:w')
    await client.next('w:from work')
    slow.open('w')
    await call
    client.ws.close()
  })
})

describe('6. the same in fetch, alarm and WebSocket handlers; outside is reserved', () => {
  test('fetch', async () => {
    const response = worker.fetch('/room?name=handlers&key=f')
    await slow.seen('gate:f')
    expect((await read('handlers')).log).toEqual(['f:before'])
    slow.open('f')
    expect(await (await response).text()).toBe('done')
    expect((await read('handlers')).log).toEqual(['f:before', 'f:done'])
  })

  test('webSocketMessage', async () => {
    const client = await connect('socket')
    client.ws.send('m')
    await slow.seen('gate:m')
    expect((await read('socket')).log).toEqual(['m:before'])
    slow.open('m')
    await client.next('m:done')
    expect((await read('socket')).log).toEqual(['m:before', 'm:done'])
    client.ws.close()
  })

  test('alarm', async () => {
    const alarm = objects.call('ROOM', 'alarm', '__cloudwerkTest', { op: 'runAlarm' })
    await slow.seen('gate:alarm-alarm')
    expect((await read('alarm')).log).toEqual(['alarm:before'])
    slow.open('alarm-alarm')
    await alarm
    expect((await read('alarm')).log).toEqual(['alarm:before', 'alarm:done'])
  })

  test('outside is not reachable over RPC', async () => {
    const failure = await objects.failure('ROOM', 'rpc', 'outside', 'work')
    expect(failure.message).toMatch(/does not implement the method "outside"|outside/)
    expect(await read('rpc')).toEqual({ count: 0, log: [] })
  })
})

describe('eviction and hostile results', () => {
  test('an object evicted while a call is outside: the call fails, committed segments stay', async () => {
    expect(await objects.call('ROOM', 'evicted', 'countActivation')).toBe(1)
    expect(await objects.call('ROOM', 'evicted', 'countActivation')).toBe(2) // this.memory lives as long as the instance
    const asking = objects.call('ROOM', 'evicted', 'ask', 'e').catch((error: Error) => error)
    await slow.seen('gate:e')
    await objects.failure('ROOM', 'evicted', 'evict')
    expect(await asking).toMatchObject({ message: 'evicted by the test' })
    slow.open('e')
    expect(await read('evicted')).toEqual({ count: 0, log: ['e:before'] })
    expect(await objects.call('ROOM', 'evicted', 'countActivation')).toBe(1) // memory is gone with the instance
  })

  test('memory() that does not return an object is refused with the fix', async () => {
    const failure = await objects.failure('BROKEN', 'x', 'ping')
    expect(failure.message).toMatch(
      /BrokenMemory: memory\(\) must return an object \(this\.memory\), but returned 42\. For example: memory: \(\) => \(\{ sessions: new Map\(\) \}\)/,
    )
  })

  test.each([
    ['huge', 'DurableObjectStateError', /state\.result is 3\.00 MB as JSON, over the 2\.00 MB/],
    ['cyclic', 'DurableObjectStateError', /state\.result\.self.*(circular|cycle)/i],
    ['throwing getter', 'Error', /the getter threw|getter/],
    ['thenable', 'Error', /the thenable threw/],
  ])('a %s result from work fails only the segment after this.outside', async (kind, name, message) => {
    const failure = await objects.failure('ROOM', `hostile-${kind}`, 'storeWorkResult', kind)
    expect(failure.name).toBe(name)
    expect(failure.message).toMatch(message)
    expect(await read(`hostile-${kind}`)).toEqual({ count: 0, log: [`${kind}:kept`] })
    expect(await objects.call('ROOM', `hostile-${kind}`, 'append', 'still works')).toEqual([`${kind}:kept`, 'still works'])
  })

  test('a huge result that is not stored is simply handed back', async () => {
    expect(await objects.call('ROOM', 'hostile-returned', 'returnWorkResult', 'huge')).toBe(3 * 1024 * 1024)
  })
})
