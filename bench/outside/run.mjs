// this.outside benchmark: how long a read waits while another call to the same object awaits a
// slow outside service (1 s). Cloudwerk with this.outside, a hand-written DurableObject (the
// platform lets the read in while the call awaits its fetch), and Cloudwerk without this.outside
// (the call holds the object: the read waits for the service), in one Miniflare (workerd) run.
// Run: node bench/outside/run.mjs    ROUNDS=n (default 10) interleaved rounds, SLOW_MS=ms (default
// 1000) the service's delay. Writes bench/results/outside.json.
import { Miniflare } from 'miniflare'
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { benchWorkerOptions, getJson } from '../support/worker.mjs'
import { median, round } from '../support/stats.mjs'

const here = dirname(fileURLToPath(import.meta.url))
const ROUNDS = Number(process.env.ROUNDS ?? 10)
const SLOW_MS = Number(process.env.SLOW_MS ?? 1000)
const READS_PER_ROUND = 7
const IMPLS = ['hand', 'outside', 'held']
const LABELS = { hand: 'hand-written', outside: 'Cloudwerk, this.outside', held: 'Cloudwerk, without this.outside' }

// The slow service, answered by this process: `arrived` resolves once the call is awaiting it;
// `answeredAt` is when it answered (reads sent before then were sent while the call awaited).
let arrived = () => {}
let answeredAt = Infinity
const objects = { OUTSIDE: 'CloudwerkOutside', HELD: 'CloudwerkHeld', HAND: 'HandObject' }
const mf = new Miniflare(
  await benchWorkerOptions(join(here, 'worker.ts'), objects, {
    serviceBindings: {
      SLOW: async () => {
        answeredAt = Infinity
        arrived()
        await new Promise((resolve) => setTimeout(resolve, SLOW_MS))
        answeredAt = performance.now()
        return new Response('the answer')
      },
    },
  }),
)

const get = (path) => getJson(mf, path)

/**
 * Starts a slow call and, once it awaits the service, sends reads one after another: the median
 * latency of those sent before the service answered. (When the call holds the object, only the
 * first is.)
 */
async function measure(impl) {
  const awaiting = new Promise((resolve) => (arrived = resolve))
  const asking = get(`/ask?impl=${impl}`)
  await awaiting
  const reads = []
  for (let i = 0; i < READS_PER_ROUND; i++) {
    const start = performance.now()
    await get(`/read?impl=${impl}`)
    reads.push({ start, ms: performance.now() - start })
  }
  await asking
  return median(reads.filter((read) => read.start < answeredAt).map((read) => read.ms))
}

try {
  const asks = Object.fromEntries(IMPLS.map((impl) => [impl, 0]))
  for (const impl of IMPLS) {
    for (let i = 0; i < 20; i++) await get(`/read?impl=${impl}`) // warm: objects loaded, code compiled
  }
  const samples = Object.fromEntries(IMPLS.map((impl) => [impl, []]))
  for (let r = 0; r < ROUNDS; r++) {
    for (const impl of IMPLS.map((_, i) => IMPLS[(i + r) % IMPLS.length])) {
      samples[impl].push(await measure(impl))
      asks[impl]++
    }
  }
  for (const impl of IMPLS) {
    const answers = await get(`/read?impl=${impl}`)
    if (answers !== asks[impl]) throw new Error(`${impl}: ${answers} answers stored after ${asks[impl]} calls`)
  }
  // A ratio is the median of per-round ratios: the runs of a round are back to back, so load from
  // other processes mostly hits both alike.
  const impls = Object.fromEntries(
    IMPLS.map((impl) => {
      const ms = samples[impl]
      const ratios = ms.map((value, index) => value / samples.hand[index])
      return [
        impl,
        {
          readMs: round(median(ms), 2),
          readRangeMs: [round(Math.min(...ms), 2), round(Math.max(...ms), 2)],
          ratio: round(median(ratios), 2),
        },
      ]
    }),
  )
  const results = { date: new Date().toISOString(), node: process.version, rounds: ROUNDS, slowMs: SLOW_MS, impls }
  mkdirSync(join(here, '../results'), { recursive: true })
  writeFileSync(join(here, '../results/outside.json'), `${JSON.stringify(results, null, 2)}\n`)
  console.log(`A read sent while another call awaits a ${SLOW_MS} ms service (median of ${ROUNDS} rounds):`)
  for (const impl of IMPLS)
    console.log(`  ${LABELS[impl].padEnd(34)} ${String(impls[impl].readMs).padStart(8)} ms   ratio to hand-written ${impls[impl].ratio}`)
} finally {
  await mf.dispose()
}
