// Flood benchmark: the reference chat room (array full at 1,000) under 50 sockets x 20 messages a
// second for 10 s, each message broadcast to all 50 (10,000 messages, 500,000 deliveries), beside
// the plain DurableObject (whole array with storage.put) and the hand-written one (a row per
// message). Each room runs in its own workerd (Miniflare) so its resident memory is its own.
// Reports: drain time (last send -> last delivery), the slowest other request to the same Worker
// while it lasts (GET /ping, one at a time), and peak workerd RSS. Rounds alternate the order.
// Run: node bench/chat/flood.mjs   (ROUNDS=n, default 2; SOCKETS, RATE, SECONDS: 50, 20, 10)
// Writes bench/results/chat-flood.json and prints a markdown table.
import { Miniflare } from 'miniflare'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import WebSocket from 'ws'
import { workerdChildren } from '../../test/reliability/support/app.mjs'
import { runFlood } from '../../test/reliability/support/flood.mjs'
import { bundleWorker } from '../support/bundle.mjs'
import { median, round } from '../support/stats.mjs'

const here = import.meta.dirname
const ROUNDS = Number(process.env.ROUNDS ?? 2)
const SOCKETS = Number(process.env.SOCKETS ?? 50)
const RATE = Number(process.env.RATE ?? 20)
const SECONDS = Number(process.env.SECONDS ?? 10)
const IMPLS = (process.env.IMPLS ?? 'plain,rows,cloudwerk').split(',')
const LABELS = {
  plain: 'plain DurableObject: whole array with storage.put',
  rows: 'hand-written: one SQLite row per message',
  cloudwerk: 'Cloudwerk: the reference room (push, slice(-1000))',
}

const script = await bundleWorker(join(here, 'worker.ts'))

/** One flood on a fresh workerd running only `impl`'s room, filled to 1,000 messages first. */
async function floodOnce(impl) {
  const persist = mkdtempSync(join(tmpdir(), 'cloudwerk-bench-flood-'))
  const before = new Set(workerdChildren())
  const mf = new Miniflare({
    modules: true,
    script,
    scriptPath: join(here, 'worker.js'),
    compatibilityDate: '2026-07-01',
    cf: false,
    host: '127.0.0.1',
    port: 0,
    durableObjects: Object.fromEntries(['CloudwerkRoom', 'PlainRoom', 'RowsRoom'].map((name) => [name, { className: name, useSQLite: true }])),
    durableObjectsPersist: persist,
  })
  try {
    const origin = (await mf.ready).href.replace(/\/$/, '')
    const [workerd] = workerdChildren().filter((pid) => !before.has(pid))
    await fill(`${origin.replace(/^http/, 'ws')}/${impl}/flood?username=filler`, 1010)
    const result = await runFlood({ socketUrl: (i) => `${origin}/${impl}/flood?username=u${i}`, probeUrl: `${origin}/ping`, workerd, sockets: SOCKETS, perSecond: RATE, seconds: SECONDS })
    const stored = await (await fetch(`${origin}/${impl}/flood/count`)).json()
    if (stored !== 1000) throw new Error(`${impl}: ${stored} messages stored after the flood, expected 1000`)
    return result
  } finally {
    await mf.dispose()
    rmSync(persist, { recursive: true, force: true })
  }
}

/** Sends `count` messages from one socket, 100 at a time, each batch after its broadcasts came back. */
async function fill(url, count) {
  const ws = new WebSocket(url)
  await new Promise((resolve, reject) => (ws.once('open', resolve), ws.once('error', reject)))
  let received = 0
  ws.on('message', () => received++)
  for (let sent = 0; sent < count; sent += 100) {
    for (let i = 0; i < 100; i++) ws.send(JSON.stringify({ type: 'message', text: `fill ${sent + i}` }))
    while (received < sent + 100) await new Promise((resolve) => setTimeout(resolve, 5))
  }
  ws.close()
}

const samples = Object.fromEntries(IMPLS.map((impl) => [impl, []]))
for (let r = 0; r < ROUNDS; r++) {
  const order = IMPLS.map((_, i) => IMPLS[(i + r) % IMPLS.length])
  for (const impl of order) {
    const result = await floodOnce(impl)
    samples[impl].push(result)
    process.stderr.write(`round ${r + 1} ${impl}: ${JSON.stringify(result)}\n`)
  }
}
const figures = ['drainSeconds', 'slowestOtherRequestMs', 'workerdRssPeakMB']
const rooms = Object.fromEntries(
  IMPLS.map((impl) => {
    const runs = samples[impl]
    const summary = Object.fromEntries(figures.map((figure) => [figure, median(runs.map((run) => run[figure] ?? Infinity))]))
    summary.lost = runs.reduce((sum, run) => sum + run.lost, 0)
    summary.messagesSent = runs[0].messagesSent
    summary.deliveries = runs[0].deliveries
    // Ratios to the plain object, median of per-round ratios (target: within 1.5x).
    summary.ratios = Object.fromEntries(figures.map((figure) => [figure, round(median(runs.map((run, i) => (run[figure] ?? Infinity) / Math.max(samples.plain[i][figure], 0.05))), 2)]))
    return [impl, summary]
  }),
)
const results = { date: new Date().toISOString(), node: process.version, rounds: ROUNDS, sockets: SOCKETS, perSecond: RATE, seconds: SECONDS, rooms, targetRatio: 1.5, samples }
mkdirSync(join(here, '../results'), { recursive: true })
writeFileSync(join(here, `../results/${process.env.OUT ?? 'chat-flood'}.json`), `${JSON.stringify(results, null, 2)}\n`)
console.log('| room | drain s | slowest other request ms | peak workerd RSS MB | lost | ratios to plain (drain / slowest / RSS) |')
console.log('|---|---:|---:|---:|---:|---:|')
for (const impl of IMPLS) {
  const r = rooms[impl]
  console.log(`| ${LABELS[impl]} | ${r.drainSeconds} | ${r.slowestOtherRequestMs} | ${r.workerdRssPeakMB} | ${r.lost} | ${figures.map((f) => r.ratios[f]).join(' / ')} |`)
}
