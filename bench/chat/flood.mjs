// Flood benchmark: the reference chat room (array full at 1,000) under 50 sockets x 20 messages a
// second for 10 s, each message broadcast to all 50 (10,000 messages, 500,000 deliveries), beside
// the plain DurableObject (whole array with storage.put) and the hand-written one (a row per
// message). Each room runs in its own workerd (Miniflare) so its resident memory is its own.
// Reports: drain time (last send -> last delivery), the slowest other request to the same Worker
// while it lasts (GET /ping, one at a time), and peak workerd RSS. Rounds alternate the order.
// Run: node bench/chat/flood.mjs   (ROUNDS=n, default 2; SOCKETS, RATE, SECONDS: 50, 20, 10)
// Writes bench/results/chat-flood.json and prints a markdown table.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { workerdChildren } from '../../test/reliability/support/app.mjs'
import { fillRoom, runFlood } from '../../test/reliability/support/flood.mjs'
import { median, round } from '../support/stats.mjs'
import { startChatWorker } from './start.mjs'

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

/** One flood on a fresh workerd running only `impl`'s room, filled to 1,000 messages first. */
async function floodOnce(impl) {
  const before = new Set(workerdChildren())
  const worker = await startChatWorker()
  try {
    const [workerd] = workerdChildren().filter((pid) => !before.has(pid))
    const room = `${worker.origin}/${impl}/flood`
    await fillRoom(`${room}?username=filler`, 1010)
    const result = await runFlood({
      socketUrl: (i) => `${room}?username=u${i}`,
      probeUrl: `${worker.origin}/ping`,
      workerd,
      sockets: SOCKETS,
      perSecond: RATE,
      seconds: SECONDS,
    })
    const stored = await (await fetch(`${room}/count`)).json()
    if (stored !== 1000) throw new Error(`${impl}: ${stored} messages stored after the flood, expected 1000`)
    return result
  } finally {
    await worker.dispose()
  }
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
    summary.ratios = Object.fromEntries(
      figures.map((figure) => [
        figure,
        round(median(runs.map((run, i) => (run[figure] ?? Infinity) / Math.max(samples.plain[i][figure], 0.05))), 2),
      ]),
    )
    return [impl, summary]
  }),
)
const results = {
  date: new Date().toISOString(),
  node: process.version,
  rounds: ROUNDS,
  sockets: SOCKETS,
  perSecond: RATE,
  seconds: SECONDS,
  rooms,
  targetRatio: 1.5,
  samples,
}
mkdirSync(join(here, '../results'), { recursive: true })
writeFileSync(join(here, `../results/${process.env.OUT ?? 'chat-flood'}.json`), `${JSON.stringify(results, null, 2)}\n`)
console.log('| room | drain s | slowest other request ms | peak workerd RSS MB | lost | ratios to plain (drain / slowest / RSS) |')
console.log('|---|---:|---:|---:|---:|---:|')
for (const impl of IMPLS) {
  const r = rooms[impl]
  console.log(
    `| ${LABELS[impl]} | ${r.drainSeconds} | ${r.slowestOtherRequestMs} | ${r.workerdRssPeakMB} | ${r.lost} | ${figures.map((f) => r.ratios[f]).join(' / ')} |`,
  )
}
