#!/usr/bin/env node
// The long run of the reliability suite (the CI part is `npx vitest run test/reliability`):
//
//   node test/reliability/soak.mjs [--clients 500] [--rounds 6] [--per-client 2] [--churn 50]
//                                  [--increments 10000] [--kills 6] [--minutes 20]
//                                  [--flood-rounds 3] [--flood-sockets 50] [--flood-rate 20]
//                                  [--flood-seconds 10] [--only counters,room,flood,crashes]
//
// 1. counters: --increments concurrent increments across 10 objects from --clients HTTP clients;
//    the totals must be exact and no value handed out twice.
// 2. room: --clients WebSocket clients in one room, --rounds rounds in which every client sends
//    --per-client messages that the room broadcasts to everyone; after each round --churn clients
//    leave and as many new ones join. No message may be lost or duplicated, and workerd's resident
//    memory (/proc/<pid>/status) after the last round must be within 32 MB of where it was after
//    the warm-up round.
// 3. flood: the reference chat room (apps/target/app/objects/chat.ts, full at 1,000 messages)
//    takes --flood-sockets clients each sending --flood-rate messages a second for
//    --flood-seconds, broadcast to all of them, --flood-rounds times. Every message must reach
//    every client and the room must hold the last 1,000; reported per round: time to drain after
//    sending stops, the slowest request to another object meanwhile (and any that failed),
//    workerd's peak RSS. Its RSS after the last round must be within 32 MB of where it was after
//    the first.
// 4. crashes: `cloudwerk dev` killed with SIGKILL --kills times in the middle of a write burst
//    (alternately the dev process alone and the dev process with its workerd), restarted each
//    time; every acknowledged write must be stored exactly once.
//
// Everything runs on loopback, on a copy of test/reliability/apps/target built by the real CLI.
// It prints one line per step and a summary (the figures in RELIABILITY.md come from it), and
// exits 1 if anything was lost, duplicated or grew, or if it ran past --minutes.
import { Agent, request } from 'node:http'
import { rmSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { buildAndServe, copyApp, residentBytes, workerdChildren } from './support/app.mjs'
import { auditLedger, startBurst, waitForSize } from './support/burst.mjs'
import { fillRoom, runFlood } from './support/flood.mjs'
import { startDevProcess } from './support/dev.mjs'
import { runRound } from './support/room-round.mjs'
import { openClient, openClients } from './support/ws-client.mjs'

const { values: flags } = parseArgs({
  options: {
    clients: { type: 'string', default: '500' },
    rounds: { type: 'string', default: '6' },
    'per-client': { type: 'string', default: '2' },
    churn: { type: 'string', default: '50' },
    increments: { type: 'string', default: '10000' },
    kills: { type: 'string', default: '6' },
    minutes: { type: 'string', default: '20' },
    'flood-rounds': { type: 'string', default: '3' },
    'flood-sockets': { type: 'string', default: '50' },
    'flood-rate': { type: 'string', default: '20' },
    'flood-seconds': { type: 'string', default: '10' },
    only: { type: 'string', default: 'counters,room,flood,crashes' },
  },
})
const steps = new Set(flags.only.split(','))
const config = Object.fromEntries(
  Object.entries(flags)
    .filter(([key]) => key !== 'only')
    .map(([key, value]) => [key, Number(value)]),
)
const MB = 2 ** 20
const results = []
const log = (line) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`)
const cleanups = []

// The bound on the whole run: past it, clean up and fail rather than run on.
const limit = setTimeout(async () => {
  log(`FAIL: still running after ${config.minutes} minutes`)
  await cleanUp()
  process.exit(1)
}, config.minutes * 60_000)

async function cleanUp() {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {})
}

function record(name, figures, ok) {
  results.push({ name, ok, ...figures })
  log(`${ok ? 'ok  ' : 'FAIL'} ${name}: ${JSON.stringify(figures)}`)
}

function post(url, agent) {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent }, (response) => {
      let body = ''
      response.setEncoding('utf8')
      response.on('data', (chunk) => (body += chunk))
      response.on('end', () => resolve({ status: response.statusCode, body }))
    })
    req.on('error', reject)
    req.setTimeout(60_000, () => req.destroy(new Error('no answer within 60 s')))
    req.end()
  })
}

async function counters(app) {
  const objects = 10
  const perClient = Math.ceil(config.increments / config.clients)
  const seen = Array.from({ length: objects }, () => [])
  let failed = 0
  const started = Date.now()
  await Promise.all(
    Array.from({ length: config.clients }, async (_, c) => {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 })
      for (let i = 0; i < perClient; i++) {
        const object = (c + i) % objects
        const { status, body } = await post(`${app.url}/api/counter/soak-${object}`, agent).catch(() => ({ status: 0 }))
        if (status === 200) seen[object].push(JSON.parse(body).value)
        else failed++
      }
      agent.destroy()
    }),
  )
  const requests = perClient * config.clients
  let lost = 0
  let duplicated = 0
  for (let object = 0; object < objects; object++) {
    const values = seen[object]
    duplicated += values.length - new Set(values).size
    // Every acknowledged increment counted once: the total is exactly how many were answered.
    const total = (await (await fetch(`${app.url}/api/counter/soak-${object}`)).json()).value
    lost += Math.abs(values.length - total)
  }
  record(
    'counters',
    {
      clients: config.clients,
      objects,
      requests,
      failedRequests: failed,
      lost,
      duplicated,
      seconds: Math.round((Date.now() - started) / 1000),
    },
    failed === 0 && lost === 0 && duplicated === 0,
  )
}

async function room(app) {
  const [workerd] = workerdChildren()
  const url = (i) => `${app.url}/api/room/soak?user=u${i}`
  const started = Date.now()
  const clients = await openClients(url, config.clients)
  cleanups.push(() => Promise.all(clients.map((client) => client.close())))
  log(`room: ${clients.length} clients connected; workerd RSS ${(residentBytes(workerd) / MB).toFixed(1)} MB`)
  const rounds = []
  const perRound = { perClient: config['per-client'], timeoutMs: 180_000 }
  rounds.push(await runRound(clients, { round: 0, ...perRound }))
  const baseline = residentBytes(workerd)
  let peak = baseline
  let nextUser = clients.length
  for (let round = 1; round <= config.rounds; round++) {
    const result = await runRound(clients, { round, ...perRound })
    rounds.push(result)
    // Churn: some leave, as many new ones join (closed sockets must not pile up in memory).
    const leaving = clients.splice(0, config.churn)
    await Promise.all(leaving.map((client) => client.close()))
    for (let i = 0; i < leaving.length; i++) clients.push(await openClient(url(nextUser++)))
    peak = Math.max(peak, residentBytes(workerd))
    log(`room: round ${round}: ${JSON.stringify(result)}; workerd RSS ${(residentBytes(workerd) / MB).toFixed(1)} MB`)
  }
  const after = residentBytes(workerd)
  const stats = await (await fetch(`${app.url}/api/room/soak`)).json()
  const sent = rounds.reduce((sum, r) => sum + r.sent, 0)
  const figures = {
    clients: config.clients,
    rounds: config.rounds + 1,
    messagesSent: sent,
    deliveries: rounds.reduce((sum, r) => sum + r.expectedDeliveries, 0),
    lost: rounds.reduce((sum, r) => sum + r.lost, 0),
    duplicated: rounds.reduce((sum, r) => sum + r.duplicated, 0),
    joins: stats.joins,
    storedCount: stats.said,
    workerdRssAfterWarmupMB: Number((baseline / MB).toFixed(1)),
    workerdRssPeakMB: Number((peak / MB).toFixed(1)),
    workerdRssAtEndMB: Number((after / MB).toFixed(1)),
    seconds: Math.round((Date.now() - started) / 1000),
  }
  const ok = figures.lost === 0 && figures.duplicated === 0 && stats.said === sent && after - baseline < 32 * MB
  record('room', figures, ok)
}

async function flood(app) {
  const [workerd] = workerdChildren()
  const room = `${app.url}/api/chat/flood`
  await fillRoom(`${room}?username=filler`, 1010)
  const rounds = []
  const rssAfter = []
  for (let round = 1; round <= config['flood-rounds']; round++) {
    const result = await runFlood({
      socketUrl: (i) => `${room}?username=u${i}`,
      probeUrl: `${app.url}/api/counter/flood-probe`,
      workerd,
      sockets: config['flood-sockets'],
      perSecond: config['flood-rate'],
      seconds: config['flood-seconds'],
      label: `r${round}-`,
    })
    rounds.push(result)
    rssAfter.push(residentBytes(workerd))
    log(`flood: round ${round}: ${JSON.stringify(result)}; workerd RSS after ${(rssAfter.at(-1) / MB).toFixed(1)} MB`)
  }
  const stored = await (await fetch(room)).json()
  const figures = {
    rounds: rounds.length,
    sockets: config['flood-sockets'],
    messagesPerRound: rounds[0].messagesSent,
    deliveriesPerRound: rounds[0].deliveries,
    lost: rounds.reduce((sum, r) => sum + r.lost, 0),
    storedCount: stored.count,
    drainSeconds: rounds.map((r) => r.drainSeconds),
    slowestOtherRequestMs: rounds.map((r) => r.slowestOtherRequestMs),
    failedOtherRequests: rounds.flatMap((r) => r.failedOtherRequests),
    workerdRssPeakMB: rounds.map((r) => r.workerdRssPeakMB),
    workerdRssAfterFirstRoundMB: Number((rssAfter[0] / MB).toFixed(1)),
    workerdRssAtEndMB: Number((rssAfter.at(-1) / MB).toFixed(1)),
  }
  // Requests to other objects that wait behind the flood are reported, not failed on: workerd
  // resets some that wait about 40 s, a plain DurableObject's flood as much (RELIABILITY.md).
  const ok = figures.lost === 0 && stored.count === 1000 && rssAfter.at(-1) - rssAfter[0] < 32 * MB
  record('flood', figures, ok)
}

async function crashes() {
  const dir = copyApp('target')
  cleanups.push(async () => rmSync(dir, { recursive: true, force: true }))
  const acknowledged = new Set()
  const runtimes = new Set()
  cleanups.push(async () => {
    for (const pid of runtimes) {
      try {
        process.kill(pid, 'SIGKILL')
      } catch {}
    }
  })
  let dev = await startDevProcess(dir)
  cleanups.push(() => dev.stop())
  const started = Date.now()
  let audits = 0
  let problems = []
  for (let kill = 1; kill <= config.kills; kill++) {
    const [workerd] = dev.workerd()
    runtimes.add(workerd)
    const burst = startBurst(dev.url, { label: `k${kill}`, acknowledged })
    await waitForSize(acknowledged, acknowledged.size + 100 + Math.floor(Math.random() * 200))
    const alone = kill % 2 === 1
    if (!alone) process.kill(workerd, 'SIGKILL')
    dev.child.kill('SIGKILL')
    await burst.done
    dev = await startDevProcess(dir, alone ? ['--port', new URL(dev.url).port] : [])
    const audit = await auditLedger(dev.url, acknowledged)
    audits++
    if (audit.status !== 200 || audit.missing.length || audit.duplicated || !audit.balanceMatches)
      problems.push({ kill, ...audit, state: undefined })
    log(
      `crashes: kill ${kill} (${alone ? 'dev alone' : 'dev and workerd'}): ${acknowledged.size} acknowledged, ${audit.stored} stored, ${audit.missing.length} missing`,
    )
  }
  const final = await auditLedger(dev.url, acknowledged)
  await dev.stop()
  record(
    'crashes',
    {
      kills: config.kills,
      acknowledgedWrites: acknowledged.size,
      storedWrites: final.stored,
      lost: final.missing.length,
      duplicated: final.duplicated,
      balanceMatches: final.balanceMatches,
      audits,
      seconds: Math.round((Date.now() - started) / 1000),
    },
    problems.length === 0 && final.missing.length === 0 && final.duplicated === 0 && final.balanceMatches,
  )
}

try {
  log(`soak: ${JSON.stringify(config)}`)
  const app = await buildAndServe(copyApp('target'))
  cleanups.push(() => app.close())
  if (steps.has('counters')) await counters(app)
  if (steps.has('room')) await room(app)
  if (steps.has('flood')) await flood(app)
  await cleanUp()
  if (steps.has('crashes')) await crashes()
} catch (error) {
  record('run', { error: String(error?.stack ?? error) }, false)
} finally {
  await cleanUp()
  clearTimeout(limit)
}
console.log('\nsummary')
for (const { name, ok, ...figures } of results) console.log(`${ok ? 'ok  ' : 'FAIL'} ${name} ${JSON.stringify(figures)}`)
process.exit(results.every((result) => result.ok) ? 0 : 1)
