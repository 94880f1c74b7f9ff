// Schedules benchmark: adding one schedule and firing it, in an object with 10 and with 10,000
// schedules pending, for Cloudwerk (this.schedule, fired by the alarm's path) and the Agents SDK
// (schedule(), fired by its alarm()). Target: Cloudwerk at 10,000 pending costs less than 2x
// what it costs at 10 (the table is indexed by time: O(log n) to add and to fire). One Miniflare
// (workerd) run, SQLite on disk, interleaved rounds; times measured inside the Worker.
// Run: node bench/schedules/run.mjs    (ROUNDS=n, CALLS=n per round; defaults 10 and 20)
// Writes bench/results/schedules.json and prints a markdown table.
import { Miniflare } from 'miniflare'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { hasPeers } from '../support/bundle.mjs'
import { benchWorkerOptions, getJson } from '../support/worker.mjs'
import { median, round } from '../support/stats.mjs'

const here = import.meta.dirname
const ROUNDS = Number(process.env.ROUNDS ?? 10)
const CALLS = Number(process.env.CALLS ?? 20)
const SIZES = [10, 10_000]
const IMPLS = hasPeers ? ['cloudwerk', 'agents'] : ['cloudwerk']
const LABELS = { cloudwerk: 'Cloudwerk: this.schedule.at + the alarm path (runDue)', agents: 'Agents SDK: this.schedule(Date) + alarm()' }

const persist = mkdtempSync(join(tmpdir(), 'cloudwerk-bench-schedules-'))
const mf = new Miniflare(
  await benchWorkerOptions(
    join(here, 'worker.ts'),
    { CLOUDWERK: 'CloudwerkTimers', AGENT: 'AgentTimers' },
    { compatibilityFlags: ['nodejs_compat'], durableObjectsPersist: persist },
  ),
)

const get = (path) => getJson(mf, path)

try {
  const fillMs = {}
  for (const impl of IMPLS) {
    for (const size of SIZES) {
      const start = performance.now()
      const { pending } = await get(`/fill?impl=${impl}&name=p${size}&count=${size}`)
      fillMs[`${impl}:${size}`] = round(performance.now() - start, 0)
      if (pending < size) throw new Error(`${impl}: ${pending} pending after adding ${size}`)
      await get(`/addAndFire?impl=${impl}&name=p${size}&n=3`) // warm-up
    }
  }
  const samples = {}
  for (let r = 0; r < ROUNDS; r++) {
    const runs = IMPLS.flatMap((impl) => SIZES.map((size) => [impl, size]))
    for (let i = 0; i < runs.length; i++) {
      const [impl, size] = runs[(i + r) % runs.length]
      const result = await get(`/addAndFire?impl=${impl}&name=p${size}&n=${CALLS}`)
      ;(samples[`${impl}:${size}`] ??= []).push(result)
    }
  }
  const stats = (key) => {
    const s = samples[key]
    return {
      addMs: round(median(s.map((x) => x.addMs)), 3),
      fireMs: round(median(s.map((x) => x.fireMs)), 3),
      totalMs: round(median(s.map((x) => x.addMs + x.fireMs)), 3),
      fillMs: fillMs[key],
    }
  }
  const impls = Object.fromEntries(
    IMPLS.map((impl) => {
      const few = stats(`${impl}:${SIZES[0]}`)
      const many = stats(`${impl}:${SIZES[1]}`)
      const ratios = samples[`${impl}:${SIZES[1]}`].map(
        (x, i) => (x.addMs + x.fireMs) / (samples[`${impl}:${SIZES[0]}`][i].addMs + samples[`${impl}:${SIZES[0]}`][i].fireMs),
      )
      return [
        impl,
        {
          label: LABELS[impl],
          few,
          many,
          ratio: round(median(ratios), 2),
          ratioRange: [round(Math.min(...ratios), 2), round(Math.max(...ratios), 2)],
        },
      ]
    }),
  )
  const results = {
    date: new Date().toISOString(),
    node: process.version,
    storage: 'disk',
    rounds: ROUNDS,
    callsPerRound: CALLS,
    sizes: SIZES,
    peers: hasPeers,
    impls,
    target: { ratio: 2 },
  }
  mkdirSync(join(here, '../results'), { recursive: true })
  writeFileSync(join(here, '../results/schedules.json'), `${JSON.stringify(results, null, 2)}\n`)
  console.log(
    `| add + fire one schedule | ms at ${SIZES[0]} pending (add / fire) | ms at ${SIZES[1]} pending (add / fire) | ratio ${SIZES[1]} / ${SIZES[0]} (target < 2) | filling ${SIZES[1]} (ms) |`,
  )
  console.log('|---|---:|---:|---:|---:|')
  for (const impl of IMPLS) {
    const r = impls[impl]
    console.log(
      `| ${r.label} | ${r.few.totalMs} (${r.few.addMs} / ${r.few.fireMs}) | ${r.many.totalMs} (${r.many.addMs} / ${r.many.fireMs}) | ${r.ratio} (${r.ratioRange[0]} to ${r.ratioRange[1]}) | ${r.many.fillMs} |`,
    )
  }
  console.log(
    `\nMedians of ${ROUNDS} interleaved rounds of ${CALLS} add+fire pairs made inside the Worker (two RPC calls each); SQLite on disk.`,
  )
} finally {
  await mf.dispose()
  rmSync(persist, { recursive: true, force: true })
}
