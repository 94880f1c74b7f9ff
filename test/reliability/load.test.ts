// Load on a built app, bounded for CI: concurrent increments must give exact totals, and a room
// of WebSocket clients must deliver every message exactly once without workerd's memory growing.
// test/reliability/soak.mjs runs the large version (500 clients); see RELIABILITY.md.
import { Agent, request } from 'node:http'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { buildAndServe, copyApp, residentBytes, workerdChildren } from './support/app.mjs'
import { runRound } from './support/room-round.mjs'
import { openClients } from './support/ws-client.mjs'

let app: Awaited<ReturnType<typeof buildAndServe>>
beforeAll(async () => {
  app = await buildAndServe(copyApp('target'))
}, 60_000)
afterAll(() => app?.close())

test('1,000 concurrent increments across 10 objects from 100 clients: exact totals, no value seen twice', async () => {
  const OBJECTS = 10
  const CLIENTS = 100
  const PER_CLIENT = 10
  // Each client its own connection, all running at once; client c sends its i-th call to object (c + i) % 10.
  const seen = Array.from({ length: OBJECTS }, () => [] as number[])
  const failures: string[] = []
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, c) => {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 })
      for (let i = 0; i < PER_CLIENT; i++) {
        const object = (c + i) % OBJECTS
        const { status, body } = await post(`${app.url}/api/counter/load-${object}`, agent)
        if (status === 200) seen[object].push(JSON.parse(body).value)
        else failures.push(`${status} ${body}`)
      }
      agent.destroy()
    }),
  )
  expect(failures).toEqual([])
  const perObject = (CLIENTS * PER_CLIENT) / OBJECTS
  for (let object = 0; object < OBJECTS; object++) {
    // Every increment saw a different value, 1 to 100: none was lost or applied twice.
    expect(seen[object].sort((a, b) => a - b)).toEqual(Array.from({ length: perObject }, (_, i) => i + 1))
    expect(await (await fetch(`${app.url}/api/counter/load-${object}`)).json()).toEqual({ value: perObject })
  }
})

/** A POST on the client's own connection (one keep-alive socket per client). */
function post(url: string, agent: Agent): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent }, (response) => {
      let body = ''
      response.setEncoding('utf8')
      response.on('data', (chunk) => (body += chunk))
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }))
    })
    req.on('error', reject)
    req.setTimeout(30_000, () => req.destroy(new Error(`no answer from ${url} within 30 s`)))
    req.end()
  })
}

test('100 WebSocket clients in one room, 3 rounds: every message delivered once, memory flat', async () => {
  const CLIENTS = 100
  const PER_CLIENT = 1
  const ROUNDS = 3
  const [workerd] = workerdChildren()
  const clients = await openClients((i) => `${app.url}/api/room/crowd?user=u${i}`, CLIENTS)
  // The first round warms workerd up (code, caches); memory is compared from its end.
  const results = [await runRound(clients, { round: 0, perClient: PER_CLIENT, timeoutMs: 30_000 })]
  const before = residentBytes(workerd)
  for (let round = 1; round < ROUNDS; round++) results.push(await runRound(clients, { round, perClient: PER_CLIENT, timeoutMs: 30_000 }))
  const after = residentBytes(workerd)
  await Promise.all(clients.map((client) => client.close()))

  for (const result of results)
    expect(result).toEqual({ sent: CLIENTS * PER_CLIENT, expectedDeliveries: CLIENTS * CLIENTS * PER_CLIENT, lost: 0, duplicated: 0 })
  const stats = await (await fetch(`${app.url}/api/room/crowd`)).json()
  expect(stats).toMatchObject({ said: ROUNDS * CLIENTS * PER_CLIENT, joins: CLIENTS, initRuns: 1 })
  // Flat: two more rounds (20,000 deliveries) grow workerd by less than 32 MB.
  expect((after - before) / 2 ** 20).toBeLessThan(32)
})
