// RPC benchmark: a Cloudwerk counter vs. a hand-written DurableObject doing the same with the
// storage API, in one Miniflare (workerd) run, plus bytes written per call for a ~1 MB state.
// Run: node bench/rpc/run.mjs          in-memory object storage: shows the framework's own cost
//      node bench/rpc/run.mjs --disk   SQLite files on disk: every commit pays a local fsync
// Writes bench/results/rpc.json (rpc-disk.json with --disk).
import { build } from 'esbuild'
import { Miniflare } from 'miniflare'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const DISK = process.argv.includes('--disk')
const ROUNDS = 15
const WARMUP_CALLS = 500
// Calls per measured round, per mode and concurrency (bounded so a run takes about a minute).
const CALLS = { http: { 1: 200, 32: 600 }, batch: { 1: 600, 32: 1200 } }
const LARGE_CALLS = 100

const script = await bundle(join(here, 'worker.ts'))
const persist = DISK ? mkdtempSync(join(tmpdir(), 'cloudwerk-bench-')) : undefined
const mf = new Miniflare({
  modules: true,
  script,
  scriptPath: join(here, 'worker.js'),
  compatibilityDate: '2026-07-01',
  durableObjects: {
    CLOUDWERK: { className: 'CloudwerkCounter', useSQLite: true },
    HAND: { className: 'HandCounter', useSQLite: true },
    LARGE: { className: 'CloudwerkLarge', useSQLite: true },
  },
  ...(persist ? { durableObjectsPersist: persist } : {}),
})

try {
  const throughput = await measureThroughput()
  const bytes = await measureBytesPerCall()
  const storage = DISK ? 'disk' : 'memory'
  const results = { date: new Date().toISOString(), node: process.version, storage, rounds: ROUNDS, calls: CALLS, throughput, bytes }
  mkdirSync(join(here, '../results'), { recursive: true })
  writeFileSync(join(here, `../results/${DISK ? 'rpc-disk' : 'rpc'}.json`), `${JSON.stringify(results, null, 2)}\n`)
  printTables(results)
} finally {
  await mf.dispose()
  if (persist) rmSync(persist, { recursive: true, force: true })
}

async function bundle(entry) {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    conditions: ['source', 'workerd', 'worker', 'browser'],
    mainFields: ['module', 'main'],
    external: ['cloudflare:*'],
    write: false,
    logLevel: 'silent',
  })
  return result.outputFiles[0].text
}

async function get(path) {
  const response = await mf.dispatchFetch(`http://bench.local${path}`)
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`)
  return response.json()
}

/** `count` increments through the Worker, one HTTP request each, `concurrency` in flight. */
async function runHttp(impl, count, concurrency) {
  let next = 0
  const lane = async () => {
    while (next < count) {
      next++
      await get(`/increment?impl=${impl}`)
    }
  }
  const start = performance.now()
  await Promise.all(Array.from({ length: concurrency }, lane))
  return count / ((performance.now() - start) / 1000)
}

/** `count` increments made by the Worker itself in one request: the RPC path without HTTP. */
async function runBatch(impl, count, concurrency) {
  const start = performance.now()
  await get(`/batch?impl=${impl}&n=${count}&concurrency=${concurrency}`)
  return count / ((performance.now() - start) / 1000)
}

async function measureThroughput() {
  const modes = { http: runHttp, batch: runBatch }
  const samples = {}
  for (const impl of ['cloudwerk', 'hand']) await runHttp(impl, WARMUP_CALLS, 8)
  for (let round = 0; round < ROUNDS; round++) {
    // Interleaved, and the order flips each round, so drift and warm-up hit both alike.
    const order = round % 2 ? ['hand', 'cloudwerk'] : ['cloudwerk', 'hand']
    for (const [mode, run] of Object.entries(modes)) {
      for (const concurrency of [1, 32]) {
        for (const impl of order) {
          const key = `${mode}/${concurrency}`
          samples[key] ??= { cloudwerk: [], hand: [] }
          samples[key][impl].push(await run(impl, CALLS[mode][concurrency], concurrency))
          if (process.env.BENCH_VERBOSE) process.stderr.write(`round ${round + 1}/${ROUNDS} ${key} ${impl}: ${Math.round(samples[key][impl].at(-1))} calls/s\n`)
        }
      }
    }
  }
  // The ratio is the median of per-round ratios: both runs of a round happen back to back, so
  // load from other processes on the machine mostly cancels out (throughputs alone swing ±50%).
  return Object.entries(samples).map(([key, { cloudwerk, hand }]) => {
    const [mode, concurrency] = key.split('/')
    const pairedRatio = median(cloudwerk.map((value, index) => value / hand[index]))
    return {
      mode,
      concurrency: Number(concurrency),
      cloudwerkPerSecond: round(median(cloudwerk)),
      handPerSecond: round(median(hand)),
      ratio: round(pairedRatio, 3),
      ratioRange: [round(Math.min(...cloudwerk.map((v, i) => v / hand[i])), 2), round(Math.max(...cloudwerk.map((v, i) => v / hand[i])), 2)],
    }
  })
}

async function measureBytesPerCall() {
  await get('/large?method=touch') // init writes the ~1 MB state once
  await get('/large?method=watchWrites')
  const stateBytes = await get('/large?method=stateBytes')
  const sizeBefore = await get('/large?method=databaseSize')
  for (let call = 0; call < LARGE_CALLS; call++) await get('/large?method=touch')
  const writes = await get('/large?method=takeWrites')
  const sizeAfter = await get('/large?method=databaseSize')
  return {
    method: 'SQL triggers on the state table sum key + value bytes of every row the runtime writes',
    stateBytes,
    calls: LARGE_CALLS,
    rowsWrittenPerCall: writes.rows / LARGE_CALLS,
    bytesWrittenPerCall: writes.bytes / LARGE_CALLS,
    databaseSizeGrowth: sizeAfter - sizeBefore,
  }
}

function printTables({ throughput, bytes }) {
  const lines = [
    '| path | concurrency | Cloudwerk calls/s | hand-written calls/s | ratio (target ≥ 0.9) | per-round ratios |',
    '|---|---:|---:|---:|---:|---:|',
    ...throughput.map(
      (row) =>
        `| ${row.mode === 'http' ? 'Node → Worker (HTTP) → object' : 'Worker loop → object'} | ${row.concurrency} | ` +
        `${row.cloudwerkPerSecond} | ${row.handPerSecond} | ${row.ratio} | ${row.ratioRange[0]}–${row.ratioRange[1]} |`,
    ),
    '',
    `Medians of ${ROUNDS} interleaved rounds (ratio: median of the per-round ratios); object storage ${DISK ? 'on disk' : 'in memory'}.`,
    '',
    '| ~1 MB state, one small key changes | value |',
    '|---|---:|',
    `| state size (JSON bytes) | ${bytes.stateBytes} |`,
    `| rows written per call | ${bytes.rowsWrittenPerCall} |`,
    `| bytes written per call (key + value) | ${bytes.bytesWrittenPerCall} |`,
    `| database size growth over ${bytes.calls} calls | ${bytes.databaseSizeGrowth} |`,
  ]
  console.log(lines.join('\n'))
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

function round(value, digits = 0) {
  const factor = 10 ** digits
  return Math.round(value * factor) / factor
}
