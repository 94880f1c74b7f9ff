// The benchmark suite (issue 6): runs every benchmark in bench/<name>/run.mjs one after another,
// each as its own process, then writes BENCHMARKS.md at the root from bench/results/*.json: the
// machine, the versions of Cloudwerk, the peers and the runtime, one table per benchmark with its
// target and whether it is met.
//
// Run:   cd bench && npm install --no-audit --no-fund   (once: PartyServer and the Agents SDK)
//        npm run bench                                   (or node bench/run.mjs; 5 to 10 minutes)
//        node bench/run.mjs --only rpc,weight            (a subset; the rest keep their last results)
//        node bench/run.mjs --report                     (rewrite BENCHMARKS.md from the last results)
// Benchmarks: weight, build, state, rpc, ws, outside, versions, dev, client, schedules, live. Every comparison runs side by side in one process
// with interleaved rounds; the tables give medians and ratios (this machine is shared and noisy).
import { execFileSync, spawn } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import { join } from 'node:path'

const bench = import.meta.dirname
const repo = join(bench, '..')
const resultsDir = join(bench, 'results')
const suiteFile = join(resultsDir, 'suite.json')

// Rounds and calls are set so the whole suite stays within about 10 minutes on 2 busy cores
// (BUDGET_S: a benchmark stops starting rounds after that many seconds, once it has a few).
const BENCHMARKS = {
  weight: { env: {}, result: 'weight.json' },
  build: { env: {}, result: 'build.json' },
  state: { env: { ROUNDS: '10', CALLS: '20' }, result: 'state.json' },
  chat: { env: { ROUNDS: '5', MESSAGES: '200' }, result: 'chat.json' },
  // Three floods of 10 s a round, each taking a minute or more to drain on a busy machine; three
  // rounds in alternating order, as one round can meet a burst of load from other jobs.
  'chat-flood': { env: { ROUNDS: '3' }, result: 'chat-flood.json', script: 'chat/flood.mjs', timeoutMinutes: 40 },
  rpc: {
    env: { ROUNDS: '15', SCALE: '0.5', BUDGET_S: '150' },
    result: 'rpc.json',
    // A Cloudwerk ratio under target is measured again with only Cloudwerk beside hand-written:
    // fewer processes in the rounds, so the pair's ratio is steadier. Reported beside the first.
    confirm: {
      env: { ROUNDS: '9', SCALE: '0.5', BUDGET_S: '90', IMPLS: 'cloudwerk', OUT: 'rpc-pair' },
      result: 'rpc-pair.json',
      when: (r) => r.throughput.some((row) => row.ratio < 0.9),
    },
  },
  ws: {
    env: { ROUNDS: '5', BUDGET_S: '100' },
    result: 'ws.json',
    confirm: {
      env: { ROUNDS: '5', BUDGET_S: '80', IMPLS: 'cloudwerk', OUT: 'ws-pair' },
      result: 'ws-pair.json',
      when: (r) => r.burst.cloudwerk.ratio < 0.9 || r.oneByOne.cloudwerk.ratio < 0.9,
    },
  },
  outside: { env: { ROUNDS: '10' }, result: 'outside.json' },
  versions: { env: { ROUNDS: '10' }, result: 'versions.json' },
  dev: { env: { RUNS: '5' }, result: 'dev.json' },
  client: { env: { EDITS: '20' }, result: 'client.json' },
  // Filling 10,000 schedules in the Agents SDK takes most of its 60 to 90 s.
  schedules: { env: { ROUNDS: '6', CALLS: '10' }, result: 'schedules.json' },
  live: { env: { CLIENTS: '10', ROUNDS: '15' }, result: 'live.json' },
}
const CHILD_TIMEOUT_MS = 6 * 60_000

const args = process.argv.slice(2)
const onlyArg = args.includes('--only') ? args[args.indexOf('--only') + 1] : args.find((a) => a.startsWith('--only='))?.slice(7)
const only = onlyArg ? onlyArg.split(',').map((s) => s.trim()) : Object.keys(BENCHMARKS)
const unknown = only.filter((name) => !BENCHMARKS[name])
if (unknown.length) {
  console.error(`Unknown benchmark ${unknown.join(', ')}; choose from ${Object.keys(BENCHMARKS).join(', ')}.`)
  process.exit(2)
}

/** Runs bench/<name>/run.mjs; its stdout is shown as it comes. Resolves 'ok' or the failure. */
function runChild(name, env) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(bench, BENCHMARKS[name].script ?? join(name, 'run.mjs'))], {
      cwd: repo,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'inherit', 'pipe'],
    })
    let stderr = ''
    child.stderr.on('data', (chunk) => {
      stderr = (stderr + chunk).slice(-4000)
      process.stderr.write(chunk)
    })
    const timeoutMs = (BENCHMARKS[name].timeoutMinutes ?? CHILD_TIMEOUT_MS / 60_000) * 60_000
    const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs)
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      if (code === 0) resolve('ok')
      else
        resolve(
          `failed (${signal ? `killed by ${signal} after ${timeoutMs / 60_000} min` : `exit ${code}`}): ${stderr.trim().split('\n').slice(-3).join(' ').slice(0, 300)}`,
        )
    })
  })
}

function machine() {
  const cpus = os.cpus()
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGiB: round(os.totalmem() / 2 ** 30, 1),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    loadAverage: os.loadavg().map((n) => round(n, 2)),
  }
}

function versions() {
  const version = (dir) => {
    try {
      return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version
    } catch {
      return 'not installed'
    }
  }
  let commit = 'unknown'
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repo, encoding: 'utf8' }).trim()
    if (execFileSync('git', ['status', '--porcelain', '--', 'packages'], { cwd: repo, encoding: 'utf8' }).trim())
      commit += ' + uncommitted changes in packages/'
  } catch {}
  const rootModule = (name) => version(join(repo, 'node_modules', name))
  return {
    cloudwerk: `${version(join(repo, 'packages', 'durable-object'))} (git ${commit})`,
    partyserver: version(join(bench, 'node_modules', 'partyserver')),
    agents: version(join(bench, 'node_modules', 'agents')),
    workerd: rootModule('workerd'),
    miniflare: rootModule('miniflare'),
    wrangler: rootModule('wrangler'),
    esbuild: rootModule('esbuild'),
    ws: rootModule('ws'),
    'node (wrangler dev)': (() => {
      try {
        return execFileSync(join(repo, 'node_modules', '.bin', 'node'), ['--version'], { encoding: 'utf8' }).trim()
      } catch {
        return 'not installed'
      }
    })(),
  }
}

// ---- BENCHMARKS.md ------------------------------------------------------------------------

function report(suite) {
  const sections = Object.keys(BENCHMARKS).map((name) => section(name, suite.runs[name]))
  const checks = sections.flatMap((s) => s.checks)
  const m = suite.machine ?? machine()
  const lines = [
    '# Benchmarks',
    '',
    `Generated by \`bench/run.mjs\` on ${suite.startedAt ?? 'an unknown date'}. Every comparison runs side by side in one`,
    'process with interleaved rounds whose order rotates; tables give medians, and ratios are the median of',
    'per-round ratios to the hand-written baseline (this machine is shared with other jobs, so absolute',
    'figures swing by ±50% between runs; the ratios are what to compare).',
    '',
    '## Reproduce',
    '',
    '```sh',
    'npm install                                  # the framework (compiles packages/*/dist)',
    'cd bench && npm install --no-audit --no-fund # the peers: PartyServer and the Agents SDK',
    'cd .. && npm run bench                       # everything, 5 to 10 minutes; writes this file',
    'node bench/run.mjs --only rpc,weight         # a subset (others keep their last results)',
    '```',
    '',
    `Last command: \`${suite.command ?? 'node bench/run.mjs'}\`. Each benchmark can also run alone: \`node bench/<name>/run.mjs\` (see its header).`,
    '',
    '## Machine',
    '',
    '| | |',
    '|---|---|',
    `| CPU | ${m.cpu}, ${m.cores} cores |`,
    `| memory | ${m.memoryGiB} GiB |`,
    `| OS | ${m.os} |`,
    `| Node | ${m.node} |`,
    `| load average at start (1, 5, 15 min) | ${m.loadAverage.join(', ')} |`,
    '',
    '## Versions',
    '',
    '| package | version |',
    '|---|---|',
    ...Object.entries(suite.versions ?? versions()).map(([name, v]) => `| ${name} | ${v} |`),
    '',
    '## Summary',
    '',
    '| benchmark | what | target | result | met |',
    '|---|---|---|---|---|',
    ...checks.map(
      (c) => `| ${c.bench} | ${c.what} | ${c.target} | ${c.result} | ${c.met === undefined ? 'n/a' : c.met ? 'met' : '**missed**'} |`,
    ),
    '',
    ...sections.flatMap((s) => s.lines),
  ]
  return `${lines.join('\n')}\n`
}

function readResult(name, file = BENCHMARKS[name].result) {
  file = join(resultsDir, file)
  if (!existsSync(file)) return undefined
  return { data: JSON.parse(readFileSync(file, 'utf8')), measuredAt: statSync(file).mtime.toISOString() }
}

function section(name, run) {
  const result = readResult(name)
  const title = {
    rpc: 'RPC path',
    state: 'State cost',
    chat: 'The reference chat room',
    'chat-flood': 'The reference chat room under a flood',
    ws: 'WebSocket fan-out',
    outside: 'A read while a call awaits slow work',
    versions: 'State versions: a migration on wake-up',
    weight: 'Weight',
    build: 'Build',
    dev: 'Dev loop',
    client: 'Browser dev loop',
    schedules: 'Schedules',
    live: 'Live state in the browser',
  }[name]
  const head = [`## ${title} (\`bench/${BENCHMARKS[name].script ?? name}\`)`, '']
  if (run && run.status !== 'ok') {
    return {
      checks: [{ bench: name, what: 'run', target: 'completes', result: run.status.split(':')[0], met: false }],
      lines: [...head, `Failed in this run: ${run.status}`, ''],
    }
  }
  if (!result) return { checks: [], lines: [...head, 'Not run yet.', ''] }
  const meta = run
    ? `Measured ${run.finishedAt ?? result.measuredAt} in ${run.seconds} s, load average ${run.loadBefore} → ${run.loadAfter}${
        Object.keys(run.env ?? {}).length
          ? ` (${Object.entries(run.env)
              .map(([k, v]) => `${k}=${v}`)
              .join(' ')})`
          : ''
      }.`
    : `Measured ${result.measuredAt}.`
  // The pair measured alone after a miss (this run's only: an older file is not shown).
  const pair = run?.confirm?.status === 'ok' ? readResult(name, BENCHMARKS[name].confirm.result)?.data : undefined
  const { checks, lines } = SECTIONS[name](result.data, run, pair)
  return { checks: checks.map((c) => ({ bench: name, ...c })), lines: [...head, meta, '', ...lines, ''] }
}

const IMPL_LABELS = { hand: 'hand-written', cloudwerk: 'Cloudwerk', partyserver: 'PartyServer', agents: 'Agents SDK' }
const pathLabel = (mode) => (mode === 'http' ? 'Node → Worker route (HTTP) → stub → method' : 'Worker loop → stub → method')

const SECTIONS = {
  rpc(r, run, pair) {
    const impls = r.impls ?? ['hand', 'cloudwerk']
    const peers = impls.filter((i) => i !== 'hand')
    const pairRow = (row) => pair?.throughput.find((p) => p.mode === row.mode && p.concurrency === row.concurrency)
    const checks = r.throughput.map((row) => ({
      what: `RPC ${row.mode === 'http' ? 'via HTTP route' : 'from Worker'}, concurrency ${row.concurrency}: Cloudwerk / hand-written`,
      target: '≥ 0.9',
      result: `${row.ratio} (rounds ${row.ratioRange[0]}–${row.ratioRange[1]})${pairRow(row) && row.ratio < 0.9 ? `; measured again as a pair: ${pairRow(row).impls.cloudwerk.ratio}` : ''}`,
      met: row.ratio >= 0.9,
    }))
    checks.push({
      what: 'one small key changes in a ~1 MB state: bytes written per call',
      target: 'the key, not the state (< 1% of it)',
      result: `${r.bytes.bytesWrittenPerCall} B of ${r.bytes.stateBytes} B`,
      met: r.bytes.bytesWrittenPerCall < r.bytes.stateBytes / 100,
    })
    const lines = [
      'A counter incremented through route → stub → method, each implementation the way its docs show:',
      'hand-written `DurableObject` with `ctx.storage.get/put`; Cloudwerk `defineDurableObject` (`this.state.value += 1`);',
      'PartyServer `Server` subclass with `ctx.storage.get/put`, stub from `getServerByName`; Agents SDK `Agent` with',
      '`setState`, stub from `getAgentByName`. Both peer helpers make one extra RPC per stub (they wait for the',
      "object's `onStart`), so each of their calls is two round trips to the object; the figures include it.",
      'The Worker is built with `nodejs_compat` (the Agents SDK needs it), the same for every counter.',
      `Object storage ${r.storage === 'disk' ? 'on disk' : 'in memory'}; ${r.rounds} interleaved rounds; calls per round: HTTP ${r.calls.http[1]} (c=1) / ${r.calls.http[32]} (c=32), Worker loop ${r.calls.batch[1]} / ${r.calls.batch[32]}. Every counter is checked to have counted every call.`,
      '',
      `| path | concurrency | ${impls.map((i) => `${IMPL_LABELS[i]} calls/s`).join(' | ')} | ${peers.map((i) => `${IMPL_LABELS[i]} ratio`).join(' | ')} |`,
      `|---|---:|${impls.map(() => '---:').join('|')}|${peers.map(() => '---:').join('|')}|`,
      ...r.throughput.map((row) => {
        const of = (i) =>
          row.impls?.[i] ??
          (i === 'hand'
            ? { perSecond: row.handPerSecond }
            : { perSecond: row.cloudwerkPerSecond, ratio: row.ratio, ratioRange: row.ratioRange })
        return `| ${pathLabel(row.mode)} | ${row.concurrency} | ${impls.map((i) => of(i).perSecond).join(' | ')} | ${peers.map((i) => `**${of(i).ratio}** (${of(i).ratioRange[0]}–${of(i).ratioRange[1]})`).join(' | ')} |`
      }),
      '',
      'Ratio: median of per-round ratios to hand-written (range over rounds in brackets). Target for Cloudwerk: ≥ 0.9.',
      ...(pair
        ? [
            '',
            ...pairTable(
              pair,
              run.confirm,
              pair.throughput.map((row) => [`${pathLabel(row.mode)}, c=${row.concurrency}`, row.impls.hand.perSecond, row.impls.cloudwerk]),
            ),
          ]
        : []),
      '',
      '| ~1 MB state (one 1 MB key), a method changes one small key | value |',
      '|---|---:|',
      `| state size (JSON bytes) | ${r.bytes.stateBytes} |`,
      `| rows written per call | ${r.bytes.rowsWrittenPerCall} |`,
      `| bytes written per call (key + value, logged by SQL triggers) | ${r.bytes.bytesWrittenPerCall} |`,
      `| database size growth over ${r.bytes.calls} calls | ${r.bytes.databaseSizeGrowth} |`,
    ]
    const missed = checks.filter((c) => c.met === false)
    if (missed.length) lines.push('', `**Missed:** ${missed.map((c) => c.what).join('; ')}. ${CAUSES.rpc(r, pair)}`)
    return { checks, lines }
  },

  state(r) {
    const { hand, sql, state } = r.impls
    const checks = [
      {
        what: 'append to a 5,000-item array in `this.state`: time / hand-written',
        target: '≤ 2',
        result: `${state.timeRatio} (${state.msPerCall} vs ${hand.msPerCall} ms)`,
        met: state.timeRatio <= 2,
      },
      {
        what: 'append to a 5,000-item array in `this.state`: bytes written / hand-written',
        target: '≤ 2 (proportional to the change)',
        result: `${state.bytesRatio} (${state.bytesPerCall} vs ${hand.bytesPerCall} B)`,
        met: state.bytesRatio <= 2,
      },
      {
        what: 'append via `ctx.sql` in a Cloudwerk object: time / hand-written',
        target: '≤ 2',
        result: `${sql.timeRatio} (${sql.msPerCall} vs ${hand.msPerCall} ms)`,
        met: sql.timeRatio <= 2,
      },
      {
        what: 'append via `ctx.sql` in a Cloudwerk object: bytes written / hand-written',
        target: '≤ 2',
        result: `${sql.bytesRatio} (${sql.bytesPerCall} vs ${hand.bytesPerCall} B)`,
        met: sql.bytesRatio <= 2,
      },
    ]
    const lines = [
      `A chat room holding ${r.messagesAtStart} messages (${(r.stateBytesAtStart / 1e6).toFixed(2)} MB as JSON) and a method that appends one (~190 bytes).`,
      `SQLite on disk; ${r.rounds} interleaved rounds of ${r.callsPerRound} sequential appends made inside the Worker (route → stub → method).`,
      'Bytes written: key + value (as text) of every row written, logged by SQL triggers on the tables.',
      '',
      '| implementation | ms per append | time ratio (target ≤ 2) | rows written per append | bytes written per append | bytes ratio (target ≤ 2) |',
      '|---|---:|---:|---:|---:|---:|',
      ...['hand', 'sql', 'state'].map((k) => {
        const i = r.impls[k]
        return `| ${i.label} | ${i.msPerCall} | **${i.timeRatio}** (${i.timeRatioRange[0]}–${i.timeRatioRange[1]}) | ${i.rowsPerCall} | ${i.bytesPerCall} | ${i.bytesRatio} |`
      }),
    ]
    if (checks.some((c) => c.met === false)) lines.push('', `**Missed** for the messages kept in \`this.state\`. ${CAUSES.state(r)}`)
    return { checks, lines }
  },

  schedules(r) {
    const [few, many] = r.sizes
    const cloudwerk = r.impls.cloudwerk
    const checks = [
      {
        what: `add + fire one schedule at ${many.toLocaleString('en')} pending / at ${few} pending (Cloudwerk)`,
        target: '< 2',
        result: `${cloudwerk.ratio} (${cloudwerk.many.totalMs} vs ${cloudwerk.few.totalMs} ms)`,
        met: cloudwerk.ratio < 2,
      },
    ]
    const impls = Object.keys(r.impls)
    const lines = [
      `One object with ${few} and one with ${many.toLocaleString('en')} schedules pending (a day ahead); each call adds one run due now and`,
      "fires what is due: Cloudwerk through the alarm's own path (the test hook's runDue), the Agents SDK through its `alarm()`.",
      `SQLite on disk; ${r.rounds} interleaved rounds of ${r.callsPerRound} add+fire pairs made inside the Worker (two RPC calls each).${r.peers ? '' : ' The Agents SDK was not installed (cd bench && npm install).'}`,
      '',
      `| implementation | ms at ${few} pending (add / fire) | ms at ${many.toLocaleString('en')} pending (add / fire) | ratio (target < 2) | filling ${many.toLocaleString('en')} (ms) |`,
      '|---|---:|---:|---:|---:|',
      ...impls.map((k) => {
        const i = r.impls[k]
        return `| ${i.label} | ${i.few.totalMs} (${i.few.addMs} / ${i.few.fireMs}) | ${i.many.totalMs} (${i.many.addMs} / ${i.many.fireMs}) | **${i.ratio}** (${i.ratioRange[0]}–${i.ratioRange[1]}) | ${i.many.fillMs} |`
      }),
    ]
    if (!checks[0].met) lines.push('', `**Missed.** ${CAUSES.schedules(r)}`)
    return { checks, lines }
  },

  chat(r) {
    const row = (impl, trim) => r.rows.find((x) => x.impl === impl && x.trim === trim)
    const reference = row('cloudwerk', 'slice')
    const checks = [
      {
        what: 'reference chat room, array full at 1,000 (`slice(-1000)`): Cloudwerk msg/s / plain object',
        target: '≥ 0.9',
        result: `${reference.ratio} (${reference.perSecond} vs ${row('plain', 'slice').perSecond} msg/s)`,
        met: reference.ratio >= 0.9,
      },
      ...['shift', 'splice', 'none'].map((trim) => ({
        what: `the same turn with ${trim === 'none' ? 'a push only' : `\`${trim}\``}: Cloudwerk / plain object`,
        target: '≥ 0.9',
        result: `${row('cloudwerk', trim).ratio} (${row('cloudwerk', trim).perSecond} vs ${row('plain', trim).perSecond} msg/s)`,
        met: row('cloudwerk', trim).ratio >= 0.9,
      })),
    ]
    const labels = {
      plain: 'plain DurableObject: whole array with `storage.put`',
      rows: 'hand-written: one SQLite row per message',
      cloudwerk: 'Cloudwerk (`this.state.messages`)',
    }
    const trims = {
      slice: '`push`, then `messages = messages.slice(-1000)` (the reference)',
      shift: '`push`, then `shift()`',
      splice: '`push`, then `splice(0, length - 1000)`',
      none: '`push` only (1,000 items and growing)',
    }
    const lines = [
      `The reference document's chat room (\`webSocketMessage\`: parse, push, cut back to the last 1,000, broadcast) with its array full at ${r.full},`,
      `one \`ws\` client sending each message once its broadcast came back: ${r.rounds} interleaved rounds of ${r.messages} messages, SQLite on disk.`,
      'The plain object keeps the array in memory and writes it whole with `storage.put` per message; the hand-written one inserts a row and deletes the oldest.',
      '',
      '| room | cut back with | msg/s | ratio to plain (target ≥ 0.9) |',
      '|---|---|---:|---:|',
      ...r.rows.map(
        (x) => `| ${labels[x.impl]} | ${trims[x.trim]} | ${x.perSecond} | **${x.ratio}** (${x.ratioRange[0]}–${x.ratioRange[1]}) |`,
      ),
    ]
    if (checks.some((c) => c.met === false)) lines.push('', `**Missed.** ${CAUSES.chat(r)}`)
    return { checks, lines }
  },

  'chat-flood'(r) {
    const figures = [
      ['drainSeconds', 'drain time (last send → last delivery)', 's'],
      ['slowestOtherRequestMs', 'slowest other request meanwhile', 'ms'],
      ['workerdRssPeakMB', 'peak workerd RSS', 'MB'],
    ]
    const cloudwerk = r.rooms.cloudwerk
    const checks = figures.map(([key, what, unit]) => ({
      what: `flood, ${what}: Cloudwerk / plain object`,
      target: '≤ 1.5',
      result: `${cloudwerk.ratios[key]} (${cloudwerk[key]} vs ${r.rooms.plain[key]} ${unit})`,
      met: cloudwerk.ratios[key] <= 1.5,
    }))
    const labels = {
      plain: 'plain DurableObject: whole array with `storage.put`',
      rows: 'hand-written: one SQLite row per message',
      cloudwerk: 'Cloudwerk: the reference room',
    }
    const lines = [
      `The reference chat room, full at 1,000 messages, flooded by ${r.sockets} \`ws\` clients each sending ${r.perSecond} messages a second for ${r.seconds} s,`,
      `each broadcast to all ${r.sockets} (${cloudwerk.messagesSent} messages, ${cloudwerk.deliveries} deliveries). Each room runs alone in a fresh workerd, so its RSS is its own;`,
      `meanwhile \`GET /ping\` is requested again and again (one at a time) to see how long the rest of the Worker waits. Medians of ${r.rounds} rounds;`,
      'ratios: median of per-round ratios to the plain object. The same flood runs in the soak (`node test/reliability/soak.mjs`, RELIABILITY.md).',
      '',
      '| room | drain s | slowest other request ms | peak workerd RSS MB | lost | ratios to plain (drain / slowest / RSS; target ≤ 1.5) |',
      '|---|---:|---:|---:|---:|---:|',
      ...Object.entries(r.rooms).map(
        ([impl, x]) =>
          `| ${labels[impl]} | ${x.drainSeconds} | ${x.slowestOtherRequestMs} | ${x.workerdRssPeakMB} | ${x.lost} | ${figures.map(([key]) => x.ratios[key]).join(' / ')} |`,
      ),
    ]
    if (checks.some((c) => c.met === false)) lines.push('', `**Missed.** ${CAUSES['chat-flood'](r)}`)
    return { checks, lines }
  },

  ws(r, run, pair) {
    const impls = Object.keys(r.burst)
    const again = (pattern) =>
      pair && r[pattern].cloudwerk.ratio < 0.9 ? `; measured again as a pair: ${pair[pattern].cloudwerk.ratio}` : ''
    const checks = [
      ['burst', 'burst'],
      ['oneByOne', 'one by one'],
    ].map(([pattern, name]) => {
      const c = r[pattern].cloudwerk
      return {
        what: `${r.clients} clients × ${r.messages} messages, ${name}: Cloudwerk delivered/s / hand-written`,
        target: '≥ 0.9',
        result: `${c.ratio} (rounds ${c.ratioRange[0]}–${c.ratioRange[1]})${again(pattern)}`,
        met: c.ratio >= 0.9,
      }
    })
    const lines = [
      `One room, ${r.clients} \`ws\` clients on loopback; one client sends ${r.messages} messages and the room broadcasts each to all ${r.clients}`,
      `(${r.clients * r.messages} deliveries). Burst: all ${r.messages} sent at once (latency includes queueing behind the burst). One by one: the`,
      `next message is sent when the previous one has reached every client (latency of one fan-out). ${r.rounds} interleaved rounds;`,
      'clients and workerd share the same cores, so the Node side is part of every figure alike.',
      '',
      '| room | burst delivered/s | ratio | burst p50 / p99 ms | one by one delivered/s | ratio | one by one p50 / p99 ms |',
      '|---|---:|---:|---:|---:|---:|---:|',
      ...impls.map((i) => {
        const b = r.burst[i]
        const o = r.oneByOne[i]
        return `| ${IMPL_LABELS[i]} | ${b.perSecond} | **${b.ratio}** (${b.ratioRange[0]}–${b.ratioRange[1]}) | ${b.p50Ms} / ${b.p99Ms} | ${o.perSecond} | **${o.ratio}** (${o.ratioRange[0]}–${o.ratioRange[1]}) | ${o.p50Ms} / ${o.p99Ms} |`
      }),
      ...(pair
        ? [
            '',
            ...pairTable(pair, run.confirm, [
              ['burst', pair.burst.hand.perSecond, pair.burst.cloudwerk],
              ['one by one', pair.oneByOne.hand.perSecond, pair.oneByOne.cloudwerk],
            ]),
          ]
        : []),
    ]
    if (checks.some((c) => c.met === false)) lines.push('', `**Missed:** ${CAUSES.ws(r, pair)}`)
    return { checks, lines }
  },

  outside(r) {
    const { hand, outside, held } = r.impls
    const checks = [
      {
        what: `a read while another call awaits a ${r.slowMs} ms service: Cloudwerk with \`this.outside\` / hand-written`,
        target: '≤ 1.5',
        result: `${outside.ratio} (${outside.readMs} vs ${hand.readMs} ms)`,
        met: outside.ratio <= 1.5,
      },
    ]
    const row = (label, i) => `| ${label} | ${i.readMs} | ${i.readRangeMs[0]}–${i.readRangeMs[1]} | **${i.ratio}** |`
    const lines = [
      `One object; a call awaits a slow service (answered by the benchmark after ${r.slowMs} ms), and once the service has the`,
      'request, reads are sent to the same object one after another (Node → Worker route → stub → method); a round counts',
      'the median latency of those sent before the service answered (held by the call, only the first is). Hand-written: a `DurableObject` that',
      'awaits the fetch (the platform lets other events in meanwhile). Cloudwerk with the await in `this.outside(...)`, and',
      `without it (the call holds the object, as every Cloudwerk call did before \`this.outside\`). ${r.rounds} interleaved rounds;`,
      'every object is checked to have stored every answer.',
      '',
      '| object | read latency ms (median of rounds) | range over rounds | ratio to hand-written (target ≤ 1.5 with `this.outside`) |',
      '|---|---:|---:|---:|',
      row('hand-written', hand),
      row('Cloudwerk, `this.outside`', outside),
      row('Cloudwerk, without `this.outside`', held),
    ]
    if (checks[0].met === false) {
      lines.push(
        '',
        `**Missed.** Both reads take a few ms, so one slow round on this shared machine moves the median ratio; rerun \`node bench/outside/run.mjs\` (range over rounds: ${outside.readRangeMs.join('–')} ms against ${hand.readRangeMs.join('–')} ms).`,
      )
    }
    return { checks, lines }
  },

  versions(r) {
    const { current, oneKey, everyItem } = r.impls
    const checks = [
      {
        what: `first call of an object with ${r.items.toLocaleString('en')} stored items: a migration that adds one key / one that rewrites every item`,
        target: '≤ 0.5',
        result: `${r.oneKeyToEveryItem} (${oneKey.firstCallMs} vs ${everyItem.firstCallMs} ms)`,
        met: r.oneKeyToEveryItem <= 0.5,
      },
    ]
    const row = (i) => `| ${i.label} | ${i.firstCallMs} | ${i.rangeMs[0]}–${i.rangeMs[1]} | **${i.ratio}** |`
    const lines = [
      `Objects with ${r.items.toLocaleString('en')} stored items (item rows) are stored at version 1; the next deploy starts on the same`,
      'storage, and the first call to each object is timed inside the Worker: its load, and its migration if it is behind. The',
      'step that adds one key compares the items with the stored ones and writes none of them; the step that rewrites every',
      `item writes them all, in the same transaction as the new version. ${r.rounds} objects of each kind, in interleaved order.`,
      `Cost follows the change: adding one key takes ${r.oneKeyToEveryItem} of the time of rewriting every item (target ≤ 0.5).`,
      '',
      '| object | first call ms (median) | range | ratio to the plain load |',
      '|---|---:|---:|---:|',
      row(current),
      row(oneKey),
      row(everyItem),
    ]
    if (checks[0].met === false)
      lines.push(
        '',
        `**Missed.** One wake-up per object, on a shared machine: rerun \`node bench/versions/run.mjs\` (range ${oneKey.rangeMs.join('–')} ms against ${everyItem.rangeMs.join('–')} ms).`,
      )
    return { checks, lines }
  },

  live(r) {
    const { cloudwerk, agents } = r.sync
    const kb = (b) => (b / 1024).toFixed(1)
    const checks = [
      {
        what: `one message added to a ${r.roomSize}-message room: bytes to each browser / the message's JSON, Cloudwerk`,
        target: '≤ 2',
        result: `${(cloudwerk.bytesPerClient / cloudwerk.messageBytes).toFixed(2)} (${cloudwerk.bytesPerClient} B)`,
        met: cloudwerk.bytesPerClient <= 2 * cloudwerk.messageBytes,
      },
      ...(r.fanout
        ? [
            {
              what: `commit to ${r.fanout.clients} \`ws\` clients having the change: hand-written time / Cloudwerk`,
              target: '≥ 0.9',
              result: `${r.fanout.ratio} (${r.fanout.handMs} vs ${r.fanout.cloudwerkMs} ms)`,
              met: r.fanout.ratio >= 0.9,
            },
          ]
        : []),
      {
        what: '`@cloudwerk/client`, minified + gzip',
        target: `< ${kb(r.targetClientBytes)} KB`,
        result: `${r.sizes.cloudwerk.gzipBytes} B`,
        met: r.sizes.cloudwerk.gzipBytes < r.targetClientBytes,
      },
    ]
    const labels = {
      cloudwerk: 'Cloudwerk (`client: { state }`, per-key deltas)',
      agents: 'Agents SDK (`setState`, whole state)',
      partysocket: '`partysocket` (PartySocket: a reconnecting socket, no state)',
    }
    const lines = [
      `A room of ${r.roomSize} chat messages, ${r.clients} \`ws\` clients connected as browsers are; one message is added (${cloudwerk.messageBytes} B of JSON)`,
      'and every byte each client receives for it is counted (the most any client got).',
      '',
      '| one message added | bytes to each browser | × the message |',
      '|---|---:|---:|',
      ...Object.entries(r.sync).map(
        ([k, s]) => `| ${labels[k]} | ${s.bytesPerClient} | ${(s.bytesPerClient / s.messageBytes).toFixed(2)} |`,
      ),
      '',
      ...(r.fanout
        ? [
            `Fan-out: from the call that commits one message to all ${r.fanout.clients} \`ws\` clients having received and parsed its frame, Cloudwerk's sync`,
            `(room of ${r.roomSize}, item rows) beside a hand-written hibernating room that stores one row and sends the same frame. Medians of ${r.fanout.rounds} interleaved rounds:`,
            `hand-written ${r.fanout.handMs} ms, Cloudwerk ${r.fanout.cloudwerkMs} ms (ratio ${r.fanout.ratio}).`,
            '',
          ]
        : []),
      'Browser clients as an app imports them, bundled for browsers and minified (esbuild), gzip level 9:',
      '',
      '| client | minified | minified + gzip |',
      '|---|---:|---:|',
      ...Object.entries(r.sizes).map(
        ([k, s]) =>
          `| ${k === 'cloudwerk' ? '`@cloudwerk/client` (`connect`)' : k === 'agents' ? 'Agents SDK (`AgentClient` from `agents/client`)' : labels[k]} | ${s.minifiedBytes ?? '–'} B | ${s.gzipBytes ?? s.error} B |`,
      ),
    ]
    if (!agents) lines.push('', 'The Agents SDK was not installed in bench/node_modules, so only Cloudwerk was measured.')
    return { checks, lines }
  },

  weight(r) {
    const apps = r.apps ?? { handWritten: { gzipBytes: r.handWrittenBytes }, cloudwerk: { gzipBytes: r.cloudwerkBytes } }
    const labels = {
      handWritten: 'hand-written Worker + DurableObject',
      cloudwerk: 'Cloudwerk (`cloudwerk build` of templates/basic: router, bindings, object runtime)',
      partyserver: 'PartyServer (`Server` + `getServerByName`)',
      agents: 'Agents SDK (`Agent` + `getAgentByName`)',
    }
    const kb = (b) => (b / 1024).toFixed(1)
    const checks = [
      {
        what: 'counter app, minified + gzip: Cloudwerk',
        target: `< ${kb(r.targetBytes)} KB`,
        result: `${kb(apps.cloudwerk.gzipBytes)} KB`,
        met: apps.cloudwerk.gzipBytes < r.targetBytes,
      },
    ]
    const lines = [
      'The same counter app (POST /api/counter/:id increments a Durable Object counter), minified, gzip level 9.',
      'The others are bundled with the esbuild settings `cloudwerk build` uses (conditions workerd/worker/browser; Node',
      "built-ins left to `nodejs_compat`), and each is started in Miniflare and must answer the counter request. Cloudwerk's is",
      'the template app (GET/POST/DELETE routes) built by `cloudwerk build`.',
      '',
      '| counter app | minified bytes | minified + gzip |',
      '|---|---:|---:|',
      ...Object.entries(apps).map(([k, a]) => `| ${labels[k]} | ${a.minifiedBytes ?? '–'} | ${a.gzipBytes} B (${kb(a.gzipBytes)} KB) |`),
    ]
    if (checks[0].met === false) lines.push('', `**Missed.** ${CAUSES.weight(r)}`)
    return { checks, lines }
  },

  build(r, run) {
    const checks = [
      {
        what: `build of ${r.routes} routes, ${r.objects} objects: cold (types generated)`,
        target: '< 1000 ms',
        result: `${r.coldMs} ms`,
        met: r.coldMs < r.targetMs,
      },
      { what: 'build: warm (types cached)', target: '< 1000 ms', result: `${r.warmMs} ms`, met: r.warmMs < r.targetMs },
      { what: 'build: without types', target: '< 1000 ms', result: `${r.noTypesMs} ms`, met: r.noTypesMs < r.targetMs },
    ]
    const lines = [
      `\`cloudwerk build\` (in process) of a generated app with ${r.routes} routes and ${r.objects} objects; median of ${r.runs} runs each.`,
      '',
      '| build | ms | target |',
      '|---|---:|---:|',
      `| cold: no .cloudwerk/, types generated | ${r.coldMs} | < ${r.targetMs} |`,
      `| warm: types cached | ${r.warmMs} | < ${r.targetMs} |`,
      `| without types (\`types: false\`) | ${r.noTypesMs} | < ${r.targetMs} |`,
    ]
    if (checks.some((c) => c.met === false))
      lines.push(
        '',
        `**Missed** (${checks
          .filter((c) => !c.met)
          .map((c) => c.what.replace(/^build[^:]*: /, ''))
          .join(', ')}). ${CAUSES.build(r)} ${loadNote(run)}`,
      )
    return { checks, lines }
  },

  client(r) {
    const checks = [
      {
        what: 'client: edit in client/ to the reloaded page showing it',
        target: '< 1000 ms',
        result: `${r.editToPageMs} ms (esbuild rebuild ${r.rebuildMs} ms)`,
        met: r.editToPageMs < 1000,
      },
    ]
    const lines = [
      `A page open in headless Chromium under \`cloudwerk dev\` (the client-app test fixture: two entries, CSS, a shared chunk, hono/jsx);`,
      `a module in client/ saved, ${r.edits} times. Edit to page: the file written to the reloaded page showing the change`,
      '(watcher, incremental esbuild rebuild, the long poll answered, the browser reloading the page and its scripts).',
      '',
      '| step | median ms |',
      '|---|---:|',
      `| edit to reloaded page (range ${r.editToPageRange[0]}–${r.editToPageRange[1]}) | ${r.editToPageMs} |`,
      `| of which esbuild's rebuild (cloudwerk dev's own log) | ${r.rebuildMs} |`,
      `| the floor: the browser reloading the page, nothing rebuilt | ${r.pageReloadMs} |`,
    ]
    return { checks, lines }
  },

  dev(r, run) {
    const readyRatio = r.cloudwerk.readyMs / r.wrangler.readyMs
    const checks = [
      {
        what: 'dev: ready time, cloudwerk dev / wrangler dev',
        target: '< 0.5',
        result: `${readyRatio.toFixed(2)} (${r.cloudwerk.readyMs} vs ${r.wrangler.readyMs} ms)`,
        met: readyRatio < 0.5,
      },
      {
        what: 'dev: route edit to live, cloudwerk dev',
        target: '< 200 ms',
        result: `${r.cloudwerk.liveMs} ms (wrangler dev ${r.wrangler.liveMs} ms)`,
        met: r.cloudwerk.liveMs < 200,
      },
    ]
    const lines = [
      `\`cloudwerk dev\` and \`wrangler dev\` (on Node 22 from the npm \`node\` package, serving the same generated entry) on the`,
      `same app, alternating; median of ${r.runs} starts. Ready: spawn to the first answered request. Edit to live: a route file`,
      'saved to the new code answering (polled every 10 ms).',
      '',
      '| dev server | ready ms | edit-to-live ms |',
      '|---|---:|---:|',
      `| cloudwerk dev | ${r.cloudwerk.readyMs} | ${r.cloudwerk.liveMs} |`,
      `| wrangler dev | ${r.wrangler.readyMs} | ${r.wrangler.liveMs} |`,
      `| ratio cloudwerk / wrangler (target ready < 0.5, edit < 200 ms) | ${readyRatio.toFixed(2)} | ${(r.cloudwerk.liveMs / r.wrangler.liveMs).toFixed(2)} |`,
    ]
    if (r.cloudwerk.rebuildMs !== undefined)
      lines.push(
        '',
        `cloudwerk dev's own log for the route edit (medians): build ${r.cloudwerk.rebuildMs} ms, ${r.cloudwerk.restartMs ? `workerd restart ${r.cloudwerk.restartMs} ms` : r.cloudwerk.reloadHow}. An edit to an object or to wrangler.jsonc still restarts workerd (about the \`setOptions\` swap below).`,
      )
    if (r.firstStart)
      lines.push(
        `The first start in a new folder (the first of the ${r.runs}) pays for loading wrangler once, to translate wrangler.jsonc, which is then cached in .cloudwerk/dev/ until the config changes: cloudwerk dev ${r.firstStart.cloudwerkMs} ms, wrangler dev ${r.firstStart.wranglerMs} ms.`,
      )
    if (r.unchangedReadyMs)
      lines.push(
        `Started again with nothing changed since the last start, cloudwerk dev starts from its last build (packages/cli/src/dev/last-build.ts) and is ready in ${r.unchangedReadyMs} ms (median of 3; ${(r.unchangedReadyMs / r.wrangler.readyMs).toFixed(2)} of wrangler dev's time). The table's starts all follow an edit, so they build.`,
      )
    if (r.floor)
      lines.push(
        `Floor probe (fresh Node, one-line Worker, medians): boot Node ${r.floor.nodeBootMs} ms, import Miniflare ${r.floor.importMiniflareMs} ms, start workerd ${r.floor.startWorkerdMs} ms, swap the Worker with \`setOptions\` ${r.floor.setOptionsMs} ms.`,
      )
    if (checks.some((c) => c.met === false))
      lines.push(
        '',
        `**Missed:** ${checks
          .filter((c) => !c.met)
          .map((c) => c.what.replace(/^dev: /, ''))
          .join('; ')}. ${CAUSES.dev(r)}${r.cloudwerk.liveMs >= 200 ? ` ${loadNote(run)}` : ''}`,
      )
    return { checks, lines }
  },
}

/** The re-measurement of Cloudwerk and hand-written alone, run after a miss. rows: [label, hand/s, cloudwerk]. */
function pairTable(pair, confirm, rows) {
  return [
    `Cloudwerk missed in the full run, so the pair was measured again with nothing else in the rounds (${pair.rounds} rounds, load average ${confirm.loadBefore} → ${confirm.loadAfter}):`,
    '',
    '| measured as a pair | hand-written /s | Cloudwerk /s | ratio (rounds) | best round / best round |',
    '|---|---:|---:|---:|---:|',
    ...rows.map(
      ([label, hand, c]) =>
        `| ${label} | ${hand} | ${c.perSecond} | **${c.ratio}** (${c.ratioRange[0]}–${c.ratioRange[1]}) | ${c.bestRatio} |`,
    ),
  ]
}

// What was found to cause a miss, shown under a table when its target is missed (the figures come
// from the same results; the findings are the ones the benchmarks were written to expose).
const CAUSES = {
  rpc: (r, pair) => {
    const missed = r.throughput.filter((row) => row.ratio < 0.9)
    const detail = missed
      .map(
        (row) =>
          `${pathLabel(row.mode)}, c=${row.concurrency}: per-round ratios ${row.ratioRange[0]}–${row.ratioRange[1]}, best round against best round ${row.impls?.cloudwerk?.bestRatio}`,
      )
      .join('; ')
    const again = missed.map(
      (row) => pair?.throughput.find((p) => p.mode === row.mode && p.concurrency === row.concurrency)?.impls.cloudwerk,
    )
    return varianceOrOverhead(
      detail,
      again,
      'Per call Cloudwerk does more than the hand-written object: a turn queue, a tracked-state proxy, and a synchronous SQLite upsert of the changed key instead of a storage put.',
      'IMPLS=cloudwerk node bench/rpc/run.mjs',
    )
  },
  schedules: (r) =>
    'Adding and firing should each be one index lookup in cloudwerk_schedules (packages/durable-object/src/schedule-table.ts): ' +
    `${r.impls.cloudwerk.many.totalMs} ms at ${r.sizes[1]} pending against ${r.impls.cloudwerk.few.totalMs} ms at ${r.sizes[0]} means a scan crept in (a query not using the due index, or a list() on the path); profile with \`node bench/schedules/run.mjs\`.`,
  state: (r) =>
    'A long array in `this.state` (100 items or more) is stored one row per item (packages/durable-object/src/item-rows.ts): a push writes one row, ' +
    `and the turn re-serializes only the items from the first one it changed. A miss here means that path got slower: ${r.impls.state.bytesPerCall} bytes and ` +
    `${r.impls.state.msPerCall} ms per append against ${r.impls.hand.bytesPerCall} bytes and ${r.impls.hand.msPerCall} ms hand-written; profile with \`node bench/state/run.mjs\`.`,
  chat: (r) => {
    const missed = r.rows.filter((x) => x.impl === 'cloudwerk' && x.ratio < 0.9)
    return (
      `${missed.map((x) => `\`${x.trim}\`: per-round ratios ${x.ratioRange[0]}–${x.ratioRange[1]}`).join('; ')}. A turn of the reference room costs what it changes ` +
      "(packages/durable-object/src/array-methods.ts, item-json.ts, `createSlice` in state-proxy.ts); a ratio under target with rounds on both sides of 1 is the machine's load, " +
      'a steady one means that path got slower: profile its turns in workerd with `node bench/chat/profile.mjs cloudwerk <trim>`.'
    )
  },
  'chat-flood': () =>
    'Under a flood every room is bound by the CPU of its one isolate; the drain and the wait of other requests follow the cost of a turn (see the chat benchmark). ' +
    'Peak RSS follows what a turn leaves alive: an array the turn makes and the state keeps (a window adopted instead of cut in place, stored JSON copied ' +
    'instead of moved) outlives the young generation under a flood and grows the heap; `node bench/chat/profile.mjs cloudwerk slice` shows the CPU ' +
    'per turn, and HeapProfiler.startSampling through the same inspector the bytes allocated per message.',
  ws: (r, pair) => {
    const missed = ['burst', 'oneByOne'].filter((pattern) => r[pattern].cloudwerk.ratio < 0.9)
    const detail = missed
      .map(
        (pattern) =>
          `${pattern === 'burst' ? 'burst' : 'one by one'}: per-round ratios ${r[pattern].cloudwerk.ratioRange[0]}–${r[pattern].cloudwerk.ratioRange[1]}, best round against best round ${r[pattern].cloudwerk.bestRatio}`,
      )
      .join('; ')
    return varianceOrOverhead(
      detail,
      missed.map((pattern) => pair?.[pattern].cloudwerk),
      "Cloudwerk's room differs from the hand-written one in running each message as a turn (queue, commit check) and sending the broadcast after it.",
      'ROUNDS=7 IMPLS=cloudwerk node bench/ws/run.mjs',
    )
  },
  weight: (r) =>
    `The Cloudwerk counter is ${r.cloudwerkBytes} bytes gzipped; see the bundle's metafile (\`cloudwerk build\` writes one) for what grew.`,
  build: (r) =>
    `The difference between the cold and the without-types builds (${r.coldMs - r.noTypesMs} ms) is type generation: \`cloudwerk build\` runs the TypeScript compiler API ` +
    `(\`ts.createProgram\` over the ${r.objects} object files and @cloudflare/workers-types, packages/cli/src/pipeline/inspect-objects.ts) to print exact stub types. ` +
    `Scanning, generating and bundling ${r.routes} routes take ${r.noTypesMs} ms. Types are cached by content, so only the first build after an object file changes pays it (the warm row).`,
  dev: (r) => {
    const f = r.floor ?? {}
    const parts = []
    if (r.cloudwerk.readyMs / r.wrangler.readyMs >= 0.5) {
      const floor = (f.nodeBootMs ?? 0) + f.importMiniflareMs + f.startWorkerdMs
      parts.push(
        `Ready: before any Cloudwerk code runs, a fresh Node takes ${f.nodeBootMs} ms to boot, ${f.importMiniflareMs} ms to import Miniflare (a 4.5 MB module) and ${f.startWorkerdMs} ms to start workerd ` +
          `with a one-line Worker (the floor probe): ${floor} ms, against a target of ${Math.round(r.wrangler.readyMs / 2)} ms (half of wrangler dev's time). cloudwerk dev already loads Miniflare with \`require\` and a V8 code cache ` +
          '(packages/cli/src/util/load-cached.ts; about 0.3 s less than that import) while a worker thread scans, generates and bundles the app (dev/builder-thread.ts) or, when nothing changed, takes the last build (dev/last-build.ts), and it lists the bundle as ' +
          'its one module so Miniflare does not parse it. What is left is Miniflare’s start: `serializeConfig` copies its capnp buffer on every 4 KB it grows (cloudflare/workers-sdk#15271; ' +
          '~0.1 s with the assets Workers’ 0.9 MB of script) and workerd compiling Miniflare’s built-in Workers. On two shared cores the ratio moves with load: rerun `node bench/dev/run.mjs`.',
      )
    }
    if (r.cloudwerk.liveMs >= 200) {
      parts.push(
        r.cloudwerk.restartMs
          ? `Edit to live: cloudwerk dev rebuilds in ${r.cloudwerk.rebuildMs} ms, then swaps the Worker with Miniflare's \`setOptions\`, which restarts workerd: ${r.cloudwerk.restartMs} ms in its own log ` +
              `(${f.setOptionsMs} ms in the probe for a one-line Worker). Under 200 ms needs a reload that replaces the code without restarting workerd (packages/cli/src/dev/reload.ts).`
          : `Edit to live: cloudwerk dev's own log gives build ${r.cloudwerk.rebuildMs} ms, ${r.cloudwerk.reloadHow}; the rest of the ${r.cloudwerk.liveMs} ms is the file watcher's settling delay and the first request to the new routes.`,
      )
    }
    return parts.join(' ')
  },
}

/**
 * The cause of a ratio miss, from the evidence at hand: the full run's spread, and the pair
 * measured again alone (`again`: Cloudwerk's figures there for each missed row, if it ran).
 */
function varianceOrOverhead(detail, again, difference, command) {
  if (again.length && again.every((c) => c?.ratio >= 0.9)) {
    return (
      `In the full run: ${detail}. Measured again as a pair (table above), Cloudwerk reaches ${again.map((c) => c.ratio).join(', ')}: ` +
      'the miss is variance between rounds on this loaded machine, not an overhead of Cloudwerk.'
    )
  }
  if (again.some((c) => c)) {
    return `In the full run: ${detail}; measured again as a pair it stays under 0.9 (${again.map((c) => c?.ratio).join(', ')}). ${difference} Profile the pair with \`${command}\`.`
  }
  return `${detail}. Not measured again as a pair in this run; \`${command}\` does. ${difference}`
}

/** Absolute-time targets depend on what else the machine runs: say how loaded it was. */
function loadNote(run) {
  if (!run) return ''
  return `These are absolute times, taken at load average ${run.loadBefore}–${run.loadAfter} on ${os.cpus().length} cores shared with other jobs; they rise and fall with that load.`
}

function round(value, digits = 0) {
  const factor = 10 ** digits
  return Math.round(value * factor) / factor
}

async function main() {
  mkdirSync(resultsDir, { recursive: true })
  const suite = existsSync(suiteFile) ? JSON.parse(readFileSync(suiteFile, 'utf8')) : { runs: {} }
  if (!args.includes('--report')) {
    if (!existsSync(join(bench, 'node_modules', 'partyserver')) || !existsSync(join(bench, 'node_modules', 'agents'))) {
      console.error('PartyServer / Agents SDK not installed: run `cd bench && npm install --no-audit --no-fund` to compare with them.\n')
    }
    suite.startedAt = new Date().toISOString()
    suite.command = `node bench/run.mjs${onlyArg ? ` --only ${only.join(',')}` : ''}`
    suite.machine = machine()
    suite.versions = versions()
    for (const name of only) {
      const loadBefore = os.loadavg()[0]
      const started = performance.now()
      console.log(`\n## ${name} (load average ${loadBefore.toFixed(2)})\n`)
      const { env, confirm } = BENCHMARKS[name]
      const status = await runChild(name, env)
      suite.runs[name] = {
        status,
        seconds: Math.round((performance.now() - started) / 1000),
        loadBefore: round(loadBefore, 2),
        loadAfter: round(os.loadavg()[0], 2),
        finishedAt: new Date().toISOString(),
        env,
      }
      if (status === 'ok' && confirm?.when(readResult(name).data)) {
        const loadBefore = os.loadavg()[0]
        const started = performance.now()
        console.log(`\n## ${name}: Cloudwerk missed its target; measuring the pair alone (load average ${loadBefore.toFixed(2)})\n`)
        const status = await runChild(name, confirm.env)
        suite.runs[name].confirm = {
          status,
          seconds: Math.round((performance.now() - started) / 1000),
          loadBefore: round(loadBefore, 2),
          loadAfter: round(os.loadavg()[0], 2),
          env: confirm.env,
        }
      }
      writeFileSync(suiteFile, `${JSON.stringify(suite, null, 2)}\n`)
    }
  }
  writeFileSync(join(repo, 'BENCHMARKS.md'), report(suite))
  const failed = only.filter((name) => suite.runs[name]?.status !== 'ok' && !args.includes('--report'))
  console.log(`\nWrote BENCHMARKS.md${failed.length ? ` (failed: ${failed.join(', ')}; see the file)` : ''}`)
  if (failed.length) process.exitCode = 1
}

await main()
