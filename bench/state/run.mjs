// State-cost benchmark: a chat room with 5,000 messages (~1 MB) and a method that appends one.
// Time per append and bytes written per append, for Cloudwerk with the messages in `this.state`,
// Cloudwerk with the messages in a `ctx.sql` table, and a hand-written object that inserts one
// row; one Miniflare (workerd) run, SQLite files on disk (a temporary folder), interleaved rounds.
// Run: node bench/state/run.mjs      (ROUNDS=n, CALLS=n per round; defaults 10 and 20)
// Writes bench/results/state.json and prints a markdown table.
import { Miniflare } from 'miniflare'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { benchWorkerOptions, getJson } from '../support/worker.mjs'
import { median, round } from '../support/stats.mjs'

const here = import.meta.dirname
const ROUNDS = Number(process.env.ROUNDS ?? 10)
const CALLS = Number(process.env.CALLS ?? 20)
const BYTES_CALLS = 20
const IMPLS = ['hand', 'sql', 'state']
const LABELS = {
  hand: 'hand-written: INSERT one row',
  sql: 'Cloudwerk: INSERT via ctx.sql (+ a count in state)',
  state: 'Cloudwerk: push onto a 5,000-item array in this.state',
}

const persist = mkdtempSync(join(tmpdir(), 'cloudwerk-bench-state-'))
const mf = new Miniflare(
  await benchWorkerOptions(
    join(here, 'worker.ts'),
    { STATE: 'CloudwerkStateRoom', SQL: 'CloudwerkSqlRoom', HAND: 'HandRoom' },
    { durableObjectsPersist: persist },
  ),
)

const get = (path) => getJson(mf, path)

/** Milliseconds per append over `n` sequential appends made inside the Worker. */
async function timeAppends(impl, n) {
  const start = performance.now()
  await get(`/append?impl=${impl}&n=${n}`)
  return (performance.now() - start) / n
}

try {
  const before = Object.fromEntries(await Promise.all(IMPLS.map(async (impl) => [impl, await get(`/info?impl=${impl}`)])))
  for (const impl of IMPLS) await timeAppends(impl, 5) // warm-up
  const samples = Object.fromEntries(IMPLS.map((impl) => [impl, []]))
  for (let round = 0; round < ROUNDS; round++) {
    const order = IMPLS.map((_, i) => IMPLS[(i + round) % IMPLS.length])
    for (const impl of order) samples[impl].push(await timeAppends(impl, CALLS))
  }
  const bytes = {}
  for (const impl of IMPLS) {
    await get(`/watchWrites?impl=${impl}`)
    const sizeBefore = (await get(`/info?impl=${impl}`)).databaseSize
    await get(`/append?impl=${impl}&n=${BYTES_CALLS}`)
    const writes = await get(`/takeWrites?impl=${impl}`)
    const after = await get(`/info?impl=${impl}`)
    bytes[impl] = {
      rowsPerCall: writes.rows / BYTES_CALLS,
      bytesPerCall: Math.round(writes.bytes / BYTES_CALLS),
      databaseSizeGrowthPerCall: Math.round((after.databaseSize - sizeBefore) / BYTES_CALLS),
      messagesAtEnd: after.messages,
    }
  }
  const results = {
    date: new Date().toISOString(),
    node: process.version,
    storage: 'disk',
    rounds: ROUNDS,
    callsPerRound: CALLS,
    stateBytesAtStart: before.state.stateBytes,
    messagesAtStart: before.state.messages,
    impls: Object.fromEntries(
      IMPLS.map((impl) => {
        const ratios = samples[impl].map((ms, i) => ms / samples.hand[i])
        return [
          impl,
          {
            label: LABELS[impl],
            msPerCall: round(median(samples[impl]), 3),
            timeRatio: round(median(ratios), 2),
            timeRatioRange: [round(Math.min(...ratios), 2), round(Math.max(...ratios), 2)],
            ...bytes[impl],
          },
        ]
      }),
    ),
    targets: { timeRatio: 2, bytesRatio: 2 },
  }
  for (const impl of IMPLS) results.impls[impl].bytesRatio = round(results.impls[impl].bytesPerCall / results.impls.hand.bytesPerCall, 1)
  mkdirSync(join(here, '../results'), { recursive: true })
  writeFileSync(join(here, '../results/state.json'), `${JSON.stringify(results, null, 2)}\n`)
  console.log(
    `| append one message to a ${MB(results.stateBytesAtStart)} MB, ${results.messagesAtStart}-message room | ms per call | time ratio (target ≤ 2) | rows written per call | bytes written per call | bytes ratio (target ≤ 2) |`,
  )
  console.log('|---|---:|---:|---:|---:|---:|')
  for (const impl of IMPLS) {
    const r = results.impls[impl]
    console.log(`| ${r.label} | ${r.msPerCall} | ${r.timeRatio} | ${r.rowsPerCall} | ${r.bytesPerCall} | ${r.bytesRatio} |`)
  }
  console.log(
    `\nMedians of ${ROUNDS} interleaved rounds of ${CALLS} sequential appends made inside the Worker; SQLite on disk. Bytes: key + value (as text) of every row written, logged by SQL triggers.`,
  )
} finally {
  await mf.dispose()
  rmSync(persist, { recursive: true, force: true })
}

function MB(bytes) {
  return (bytes / 1_000_000).toFixed(2)
}
