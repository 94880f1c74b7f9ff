// Reference chat room benchmark: the array full at 1,000 messages, one client, each message sent
// once its broadcast has come back (so every figure is one whole turn: parse, push, slice(-1000),
// commit, broadcast). Cloudwerk running the reference document's room, a plain DurableObject
// rewriting the whole array with storage.put per message, and a hand-written one storing one row
// per message; one Miniflare (workerd) run, SQLite files on disk, interleaved rounds.
// Run: node bench/chat/run.mjs   (ROUNDS=n, MESSAGES=n per round; defaults 7 and 300)
// Writes bench/results/chat.json (OUT=name writes name.json instead) and prints a markdown table.
import { Miniflare } from 'miniflare'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import WebSocket from 'ws'
import { bundleWorker } from '../support/bundle.mjs'
import { median, round } from '../support/stats.mjs'

const here = import.meta.dirname
const ROUNDS = Number(process.env.ROUNDS ?? 7)
const MESSAGES = Number(process.env.MESSAGES ?? 300)
const FULL = 1000
const IMPLS = ['plain', 'rows', 'cloudwerk']
const LABELS = {
  plain: 'plain DurableObject: whole array with storage.put',
  rows: 'hand-written: one SQLite row per message',
  cloudwerk: 'Cloudwerk: the reference room (push, slice(-1000))',
}
const TEXT = 'hello everyone, this is a chat message of a typical length for the room'

const script = await bundleWorker(join(here, 'worker.ts'))
const persist = mkdtempSync(join(tmpdir(), 'cloudwerk-bench-chat-'))
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
const origin = (await mf.ready).href.replace(/\/$/, '')

/** One client in the room; `send` resolves when the broadcast of that message came back. */
async function join_(impl) {
  const ws = new WebSocket(`${origin.replace(/^http/, 'ws')}/${impl}/bench?username=ada`)
  await new Promise((resolve, reject) => (ws.once('open', resolve), ws.once('error', reject)))
  let waiting = new Map()
  ws.on('message', (data) => {
    const { text } = JSON.parse(data.toString())
    const resolve = waiting.get(text)
    if (resolve) waiting.delete(text), resolve()
  })
  let seq = 0
  const send = () => {
    const text = `${TEXT} #${seq++}`
    return new Promise((resolve) => (waiting.set(text, resolve), ws.send(JSON.stringify({ type: 'message', text }))))
  }
  return { ws, send }
}

async function count(impl) {
  return (await fetch(`${origin}/${impl}/bench/count`)).json()
}

const clients = {}
try {
  for (const impl of IMPLS) {
    clients[impl] = await join_(impl)
    // Fill the array past 1,000, so every measured message drops the oldest one.
    for (let sent = 0; sent < FULL + 10; sent += 100) await Promise.all(Array.from({ length: 100 }, () => clients[impl].send()))
    if ((await count(impl)) !== FULL) throw new Error(`${impl}: ${await count(impl)} messages stored, expected ${FULL}`)
  }
  const samples = Object.fromEntries(IMPLS.map((impl) => [impl, []]))
  for (let r = 0; r < ROUNDS; r++) {
    const order = IMPLS.map((_, i) => IMPLS[(i + r) % IMPLS.length])
    for (const impl of order) {
      const start = performance.now()
      for (let i = 0; i < MESSAGES; i++) await clients[impl].send()
      samples[impl].push(MESSAGES / ((performance.now() - start) / 1000))
      if (process.env.BENCH_VERBOSE) process.stderr.write(`round ${r + 1} ${impl}: ${Math.round(samples[impl].at(-1))} msg/s\n`)
    }
  }
  for (const impl of IMPLS) if ((await count(impl)) !== FULL) throw new Error(`${impl}: ${await count(impl)} messages stored after the rounds, expected ${FULL}`)
  const rows = Object.fromEntries(
    IMPLS.map((impl) => {
      const ratios = samples[impl].map((perSecond, i) => perSecond / samples.plain[i])
      return [impl, { perSecond: round(median(samples[impl])), ratio: round(median(ratios), 3), ratioRange: [round(Math.min(...ratios), 2), round(Math.max(...ratios), 2)] }]
    }),
  )
  const results = { date: new Date().toISOString(), node: process.version, rounds: ROUNDS, messages: MESSAGES, full: FULL, rooms: rows, targetRatio: 0.9 }
  mkdirSync(join(here, '../results'), { recursive: true })
  writeFileSync(join(here, `../results/${process.env.OUT ?? 'chat'}.json`), `${JSON.stringify(results, null, 2)}\n`)
  console.log('| room (array full at 1,000) | msg/s | ratio to plain (target ≥ 0.9 for Cloudwerk) |')
  console.log('|---|---:|---:|')
  for (const impl of IMPLS) console.log(`| ${LABELS[impl]} | ${rows[impl].perSecond} | ${rows[impl].ratio} (${rows[impl].ratioRange[0]}–${rows[impl].ratioRange[1]}) |`)
} finally {
  for (const client of Object.values(clients)) client.ws.terminate()
  await mf.dispose()
  rmSync(persist, { recursive: true, force: true })
}
