// State-version benchmark: what a migration costs when an object wakes up. Objects with 10,000
// stored items (~0.5 MB) are stored at version 1; then the next deploy starts on the same storage
// and the first call to each object is timed (inside the Worker): an object still at its version
// (a plain load), one whose step adds one key, and one whose step rewrites every item. Cost follows
// the change: the one-key migration compares the items but writes none (target: at most half the
// time of the migration that rewrites them all).
// Run: node bench/versions/run.mjs      (ROUNDS=n objects per kind, default 10; ITEMS=n, default 10000)
// Writes bench/results/versions.json and prints a markdown table.
import { Miniflare } from 'miniflare'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { benchWorkerOptions, getJson as get } from '../support/worker.mjs'
import { median, round } from '../support/stats.mjs'

const here = import.meta.dirname
const ROUNDS = Number(process.env.ROUNDS ?? 10)
const ITEMS = Number(process.env.ITEMS ?? 10_000)
const IMPLS = ['current', 'oneKey', 'everyItem']
const LABELS = {
  current: 'at its version: plain load',
  oneKey: 'one version behind, the step adds one key',
  everyItem: 'one version behind, the step rewrites every item',
}

const persist = mkdtempSync(join(tmpdir(), 'cloudwerk-bench-versions-'))
const options = (stage) =>
  benchWorkerOptions(
    join(here, `${stage}.ts`),
    { CURRENT: 'Current', ONE_KEY: 'OneKey', EVERY_ITEM: 'EveryItem' },
    { durableObjectsPersist: persist },
  )

let mf = new Miniflare(await options('old'))
try {
  for (let i = 0; i < ROUNDS; i++) for (const impl of IMPLS) await get(mf, `/fill?impl=${impl}&name=r${i}&n=${ITEMS}`)
  await mf.dispose()
  mf = new Miniflare(await options('new'))
  const samples = Object.fromEntries(IMPLS.map((impl) => [impl, []]))
  for (let i = 0; i < ROUNDS; i++) {
    for (const impl of IMPLS.map((_, k) => IMPLS[(k + i) % IMPLS.length])) {
      const { count, ms } = await get(mf, `/first?impl=${impl}&name=r${i}`)
      if (count !== ITEMS) throw new Error(`${impl} r${i}: ${count} items after the migration, expected ${ITEMS}`)
      samples[impl].push(ms)
    }
  }
  const plain = median(samples.current)
  const impls = Object.fromEntries(
    IMPLS.map((impl) => [
      impl,
      {
        label: LABELS[impl],
        firstCallMs: round(median(samples[impl]), 1),
        rangeMs: [round(Math.min(...samples[impl]), 1), round(Math.max(...samples[impl]), 1)],
        ratio: round(median(samples[impl]) / plain, 2),
      },
    ]),
  )
  const result = { items: ITEMS, rounds: ROUNDS, impls, oneKeyToEveryItem: round(median(samples.oneKey) / median(samples.everyItem), 2) }
  mkdirSync(join(here, '..', 'results'), { recursive: true })
  writeFileSync(join(here, '..', 'results', 'versions.json'), `${JSON.stringify(result, null, 2)}\n`)
  console.log(`| object (${ITEMS.toLocaleString('en')} stored items) | first call ms (median) | range | ratio to plain load |`)
  console.log('|---|---:|---:|---:|')
  for (const impl of IMPLS)
    console.log(`| ${LABELS[impl]} | ${impls[impl].firstCallMs} | ${impls[impl].rangeMs.join('–')} | ${impls[impl].ratio} |`)
  console.log(`\none key / every item: ${result.oneKeyToEveryItem} (target ≤ 0.5)`)
} finally {
  await mf.dispose()
  rmSync(persist, { recursive: true, force: true })
}
