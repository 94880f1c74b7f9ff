// Reference chat room benchmark: the array full at 1,000 messages, one client, each message sent
// once its broadcast has come back (so every figure is one whole turn: parse, push, cut back to
// 1,000, commit, broadcast). Cloudwerk running the reference document's room, a plain
// DurableObject rewriting the whole array with storage.put per message, and a hand-written one
// storing one row per message; one Miniflare (workerd) run, SQLite on disk, interleaved rounds.
// Besides the reference's `slice(-1000)` assigned back, the same turn with `shift`, with
// `splice`, and with a plain `push` (the array growing past 1,000), for Cloudwerk and plain.
// Run: node bench/chat/run.mjs   (ROUNDS=n, MESSAGES=n per round; defaults 5 and 200)
// Writes bench/results/chat.json (OUT=name writes name.json instead) and prints a markdown table.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { median, round } from '../support/stats.mjs'
import { joinRoom, startChatWorker } from './start.mjs'

const here = import.meta.dirname
const ROUNDS = Number(process.env.ROUNDS ?? 5)
const MESSAGES = Number(process.env.MESSAGES ?? 200)
const FULL = 1000
// Messages sent before the rounds, 100 at a time: past 1,000, so every measured one drops the oldest.
const FILL = 1100
// [room, how the array is cut back]: the reference (slice) for all three, the others beside plain.
const CASES = [
  ['plain', 'slice'],
  ['rows', 'slice'],
  ['cloudwerk', 'slice'],
  ...['shift', 'splice', 'none'].flatMap((trim) => [
    ['plain', trim],
    ['cloudwerk', trim],
  ]),
]
const LABELS = {
  plain: 'plain DurableObject: whole array with storage.put',
  rows: 'hand-written: one SQLite row per message',
  cloudwerk: 'Cloudwerk',
}
const TRIMS = {
  slice: '`push`, then `messages = messages.slice(-1000)` (the reference)',
  shift: '`push`, then `shift()`',
  splice: '`push`, then `splice(0, length - 1000)`',
  none: '`push` only (1,000 items and growing)',
}
const worker = await startChatWorker()

async function stored(impl, trim) {
  return (await fetch(`${worker.origin}/${impl}/${trim}/count`)).json()
}

const key = ([impl, trim]) => `${impl}/${trim}`
const clients = {}
try {
  for (const c of CASES) {
    const client = (clients[key(c)] = await joinRoom(worker.origin, ...c))
    for (let sent = 0; sent < FILL; sent += 100) await Promise.all(Array.from({ length: 100 }, () => client.send()))
    const count = await stored(...c)
    if (count !== FULL && c[1] !== 'none') throw new Error(`${key(c)}: ${count} messages stored, expected ${FULL}`)
  }
  const samples = Object.fromEntries(CASES.map((c) => [key(c), []]))
  for (let r = 0; r < ROUNDS; r++) {
    const order = CASES.map((_, i) => CASES[(i + r) % CASES.length])
    for (const c of order) {
      const start = performance.now()
      for (let i = 0; i < MESSAGES; i++) await clients[key(c)].send()
      samples[key(c)].push(MESSAGES / ((performance.now() - start) / 1000))
      if (process.env.BENCH_VERBOSE) process.stderr.write(`round ${r + 1} ${key(c)}: ${Math.round(samples[key(c)].at(-1))} msg/s\n`)
    }
  }
  for (const c of CASES) {
    const expected = c[1] === 'none' ? FILL + ROUNDS * MESSAGES : FULL
    if ((await stored(...c)) !== expected)
      throw new Error(`${key(c)}: ${await stored(...c)} messages stored after the rounds, expected ${expected}`)
  }
  const rows = CASES.map(([impl, trim]) => {
    const runs = samples[`${impl}/${trim}`]
    const ratios = runs.map((perSecond, i) => perSecond / samples[`plain/${trim}`][i])
    return {
      impl,
      trim,
      perSecond: round(median(runs)),
      ratio: round(median(ratios), 3),
      ratioRange: [round(Math.min(...ratios), 2), round(Math.max(...ratios), 2)],
    }
  })
  const results = {
    date: new Date().toISOString(),
    node: process.version,
    rounds: ROUNDS,
    messages: MESSAGES,
    full: FULL,
    rows,
    targetRatio: 0.9,
  }
  mkdirSync(join(here, '../results'), { recursive: true })
  writeFileSync(join(here, `../results/${process.env.OUT ?? 'chat'}.json`), `${JSON.stringify(results, null, 2)}\n`)
  console.log('| room | cut back with | msg/s | ratio to plain (target ≥ 0.9) |')
  console.log('|---|---|---:|---:|')
  for (const row of rows)
    console.log(
      `| ${LABELS[row.impl]} | ${TRIMS[row.trim]} | ${row.perSecond} | ${row.ratio} (${row.ratioRange[0]}–${row.ratioRange[1]}) |`,
    )
} finally {
  for (const client of Object.values(clients)) client.ws.terminate()
  await worker.dispose()
}
