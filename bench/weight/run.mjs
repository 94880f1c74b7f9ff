// Weight benchmark: gzipped size of a counter app's Worker bundle, minified as deploys are.
// Cloudwerk (templates/basic built by `cloudwerk build`) beside the hand-written baseline and,
// when bench/node_modules has them, PartyServer and the Agents SDK (the same counter and route,
// bundled with the settings `cloudwerk build` uses, as wrangler would). Each of those is
// also started in Miniflare and must answer POST /api/counter/a, so the bytes counted are a
// working app. Node built-ins (the Agents SDK uses some) are left to workerd's nodejs_compat.
// Run: node bench/weight/run.mjs
import { Miniflare } from 'miniflare'
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { buildApp } from '../../packages/cli/dist/pipeline/index.js'
import { bundleWorker, hasPeers as peers } from '../support/bundle.mjs'

const repo = join(import.meta.dirname, '..', '..')
const gzip = (bytes) => gzipSync(bytes, { level: 9 }).length

/** Bundles bench/weight/<name>/index.ts, checks it serves the counter, returns its sizes. */
async function esbuildApp(name, binding) {
  const code = await bundleWorker(join(import.meta.dirname, name, 'index.ts'), { minify: true, source: false })
  await assertCounterWorks(name, code, binding)
  return { minifiedBytes: Buffer.byteLength(code), gzipBytes: gzip(code) }
}

async function assertCounterWorks(name, script, binding) {
  const mf = new Miniflare({
    modules: true,
    script,
    scriptPath: join(import.meta.dirname, name, 'index.js'),
    compatibilityDate: '2026-07-01',
    compatibilityFlags: ['nodejs_compat'],
    cf: false,
    durableObjects: { [binding]: { className: 'Counter', useSQLite: true } },
  })
  try {
    const response = await mf.dispatchFetch('http://bench.local/api/counter/a', { method: 'POST' })
    const body = await response.text()
    if (body !== '{"value":1}') throw new Error(`${name} counter answered ${response.status} ${body}`)
  } finally {
    await mf.dispose()
  }
}

async function cloudwerk() {
  const dir = mkdtempSync(join(tmpdir(), 'cw-bench-weight-'))
  try {
    cpSync(join(repo, 'templates', 'basic'), dir, { recursive: true })
    symlinkSync(join(repo, 'node_modules'), join(dir, 'node_modules'))
    const result = await buildApp(dir, { types: false })
    const code = readFileSync(result.outFile)
    return { minifiedBytes: code.length, gzipBytes: gzip(code) }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const apps = {
  handWritten: await esbuildApp('hand-written', 'COUNTER'),
  cloudwerk: await cloudwerk(),
  ...(peers ? { partyserver: await esbuildApp('partyserver', 'Counter'), agents: await esbuildApp('agents', 'Counter') } : {}),
}
// handWrittenBytes/cloudwerkBytes: the shape earlier results had.
const result = { handWrittenBytes: apps.handWritten.gzipBytes, cloudwerkBytes: apps.cloudwerk.gzipBytes, targetBytes: 15 * 1024, apps }
mkdirSync(join(repo, 'bench', 'results'), { recursive: true })
writeFileSync(join(repo, 'bench', 'results', 'weight.json'), JSON.stringify(result, null, 2))
const labels = {
  handWritten: 'hand-written Worker + DurableObject',
  cloudwerk: 'Cloudwerk (router, bindings, object runtime)',
  partyserver: 'PartyServer (Server + getServerByName)',
  agents: 'Agents SDK (Agent + getAgentByName)',
}
console.log('| counter app | minified bytes | minified + gzip bytes |')
console.log('|---|---:|---:|')
for (const [name, app] of Object.entries(apps)) {
  console.log(
    `| ${labels[name]} | ${app.minifiedBytes} | ${app.gzipBytes}${name === 'cloudwerk' ? ` (target < ${result.targetBytes})` : ''} |`,
  )
}
if (!peers) console.log('\nPartyServer and Agents SDK skipped: cd bench && npm install --no-audit --no-fund')
