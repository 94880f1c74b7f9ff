// Live state in the browser: what each connected browser receives when one message is added to a
// room of 5,000, with Cloudwerk's per-key sync (`client: { state }`, item splices) and with the
// Agents SDK's state sync (`setState` sends the whole state), side by side in one Miniflare; and
// the size of the browser clients, minified + gzip: @cloudwerk/client beside partysocket and the
// Agents SDK's client (when bench/node_modules has them).
// and the time from a commit to FANOUT (200) clients having its frame, against a hand-written room.
// Run: node bench/live/run.mjs   (CLIENTS=n browsers per room, default 10; ROUNDS=n fan-out rounds, default 15)
// Writes bench/results/live.json and prints a markdown table.
import { build } from 'esbuild'
import { Miniflare } from 'miniflare'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import WebSocket from 'ws'
import { hasPeers } from '../support/bundle.mjs'
import { benchWorkerOptions } from '../support/worker.mjs'
import { median, round } from '../support/stats.mjs'

const here = import.meta.dirname
const repo = join(here, '..', '..')
const modules = join(here, '..', 'node_modules')
const ROOM_SIZE = 5000
const CLIENTS = Number(process.env.CLIENTS ?? 10)
const TARGET_CLIENT_BYTES = 3 * 1024

const message = (i) => ({
  user: `user${i % 50}`,
  text: `message number ${i}: a line of chat of ordinary length`,
  at: 1_750_000_000_000 + i,
})

const mf = new Miniflare(
  await benchWorkerOptions(
    join(here, 'worker.ts'),
    { CloudwerkRoom: 'CloudwerkRoom', HandRoom: 'HandRoom', ...(hasPeers ? { AgentRoom: 'AgentRoom' } : {}) },
    { compatibilityFlags: ['nodejs_compat'], host: '127.0.0.1', port: 0 },
  ),
)
const origin = (await mf.ready).href.replace(/\/$/, '')
const post = async (path, body) => {
  const response = await fetch(origin + path, { method: 'POST', body: JSON.stringify(body) })
  if (!response.ok) throw new Error(`${path} answered ${response.status}: ${await response.text()}`)
  return response.json()
}

/** CLIENTS browsers-worth of `ws` clients, each counting the bytes of every frame it receives. */
async function openClients(impl) {
  const path = impl === 'cloudwerk' ? '/cloudwerk/connect' : '/agents/agent-room/bench'
  return Promise.all(
    Array.from(
      { length: CLIENTS },
      () =>
        new Promise((resolve, reject) => {
          const client = { bytes: 0, frames: 0 }
          const ws = new WebSocket(origin.replace(/^http/, 'ws') + path)
          client.ws = ws
          ws.on('message', (data) => {
            client.bytes += data.length
            client.frames++
          })
          ws.once('open', () => resolve(client))
          ws.once('error', reject)
        }),
    ),
  )
}

async function measure(impl) {
  // Filled in batches of 500 (each a turn), before anyone connects.
  for (let i = 0; i < ROOM_SIZE; i += 500) await post('/fill', { impl, messages: Array.from({ length: 500 }, (_, j) => message(i + j)) })
  const clients = await openClients(impl)
  // The first state (and anything sent on connect) is not what is measured.
  await new Promise((resolve) => setTimeout(resolve, 1000))
  for (const client of clients) ((client.bytes = 0), (client.frames = 0))
  const added = message(ROOM_SIZE)
  await post('/send', { impl, messages: [added] })
  const started = Date.now()
  while (clients.some((client) => client.frames === 0) && Date.now() - started < 10_000)
    await new Promise((resolve) => setTimeout(resolve, 20))
  await new Promise((resolve) => setTimeout(resolve, 300))
  for (const client of clients) client.ws.close()
  const perClient = clients.map((client) => client.bytes)
  return { bytesPerClient: Math.max(...perClient), minBytesPerClient: Math.min(...perClient), messageBytes: JSON.stringify(added).length }
}

async function gzipSize(entry, alias = {}) {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    logLevel: 'silent',
    conditions: ['source'],
    alias,
  })
  const text = result.outputFiles[0].contents
  return { minifiedBytes: text.byteLength, gzipBytes: gzipSync(text, { level: 9 }).byteLength }
}

const sync = { cloudwerk: await measure('cloudwerk') }
if (hasPeers) sync.agents = await measure('agents')

// Fan-out: from the call that commits a message to every one of FANOUT clients having received
// and parsed its frame; Cloudwerk's sync beside a hand-written room sending the same frame.
// Interleaved rounds, medians (the machine is shared).
const FANOUT = Number(process.env.FANOUT ?? 200)
const ROUNDS = Number(process.env.ROUNDS ?? 15)
async function openFanout(impl) {
  const path = impl === 'cloudwerk' ? '/cloudwerk/connect?room=fanout' : '/hand/connect'
  const room = { clients: [], pending: 0, done: undefined }
  for (let i = 0; i < FANOUT; i += 20) {
    room.clients.push(
      ...(await Promise.all(
        Array.from(
          { length: Math.min(20, FANOUT - i) },
          () =>
            new Promise((resolve, reject) => {
              const ws = new WebSocket(origin.replace(/^http/, 'ws') + path)
              ws.on('message', (data) => {
                const frame = JSON.parse(data.toString())
                if (frame.v !== undefined && !frame.s && room.done && --room.pending === 0) room.done()
              })
              ws.once('open', () => resolve(ws))
              ws.once('error', reject)
            }),
        ),
      )),
    )
  }
  await new Promise((resolve) => setTimeout(resolve, 500))
  return room
}
// Cloudwerk's room holds 5,000 messages (item rows), as in the bytes measurement above.
for (let i = 0; i < ROOM_SIZE; i += 500)
  await post('/fill', { impl: 'cloudwerk', room: 'fanout', messages: Array.from({ length: 500 }, (_, j) => message(i + j)) })
const rooms = { hand: await openFanout('hand'), cloudwerk: await openFanout('cloudwerk') }
const times = { hand: [], cloudwerk: [] }
for (let round = 0; round < ROUNDS; round++) {
  for (const impl of round % 2 ? ['cloudwerk', 'hand'] : ['hand', 'cloudwerk']) {
    const room = rooms[impl]
    room.pending = FANOUT
    const all = new Promise((resolve) => (room.done = resolve))
    const started = performance.now()
    await post('/fanout', { impl, message: message(round) })
    await all
    room.done = undefined
    times[impl].push(performance.now() - started)
  }
}
for (const room of Object.values(rooms)) for (const ws of room.clients) ws.close()
const fanout = { clients: FANOUT, rounds: ROUNDS, handMs: round(median(times.hand), 2), cloudwerkMs: round(median(times.cloudwerk), 2) }
fanout.ratio = round(fanout.handMs / fanout.cloudwerkMs, 3)
await mf.dispose()

const sizes = { cloudwerk: await gzipSize(join(repo, 'packages/client/src/index.ts')) }
// The peers' browser entries, as an app imports them (what the app's bundle would hold).
const entries = mkdtempSync(join(tmpdir(), 'cw-bench-live-'))
const partysocket = join(modules, 'partysocket')
if (existsSync(partysocket)) {
  const entry = join(entries, 'partysocket.mjs')
  writeFileSync(entry, `export { PartySocket } from ${JSON.stringify(partysocket)}\n`)
  sizes.partysocket = await gzipSize(entry)
}
if (existsSync(join(modules, 'agents'))) {
  const entry = join(entries, 'agents.mjs')
  writeFileSync(entry, `export { AgentClient } from ${JSON.stringify(join(modules, 'agents/dist/client.js'))}\n`)
  sizes.agents = await gzipSize(entry).catch((error) => ({ error: error.message.split('\n')[0] }))
}

rmSync(entries, { recursive: true, force: true })

const result = { roomSize: ROOM_SIZE, clients: CLIENTS, sync, fanout, sizes, targetClientBytes: TARGET_CLIENT_BYTES }
mkdirSync(join(here, '..', 'results'), { recursive: true })
writeFileSync(join(here, '..', 'results', 'live.json'), JSON.stringify(result, null, 2))
console.log(`| one message added to ${ROOM_SIZE} | bytes to each browser | × the message's JSON |`)
console.log('|---|---:|---:|')
for (const [impl, r] of Object.entries(sync))
  console.log(`| ${impl} | ${r.bytesPerClient} | ${(r.bytesPerClient / r.messageBytes).toFixed(2)} |`)
console.log(
  `\nfan-out to ${FANOUT} clients: hand-written ${fanout.handMs} ms, Cloudwerk ${fanout.cloudwerkMs} ms (hand / Cloudwerk = ${fanout.ratio})`,
)
console.log('\n| browser client | minified | minified + gzip |\n|---|---:|---:|')
for (const [name, s] of Object.entries(sizes)) console.log(`| ${name} | ${s.minifiedBytes ?? '–'} | ${s.gzipBytes ?? s.error} |`)
