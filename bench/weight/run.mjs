// Weight benchmark: gzipped size of a counter app's Worker bundle, minified as deploys are.
// Cloudwerk (templates/basic built by `cloudwerk build`) beside the hand-written baseline.
// Run: node bench/weight/run.mjs
import * as esbuild from 'esbuild'
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { buildApp } from '../../packages/cli/dist/build/index.js'

const repo = join(import.meta.dirname, '..', '..')
const gzip = (text) => gzipSync(text, { level: 9 }).length

async function handWritten() {
  const result = await esbuild.build({
    entryPoints: [join(import.meta.dirname, 'hand-written', 'index.ts')],
    bundle: true, format: 'esm', platform: 'neutral', minify: true, write: false, external: ['cloudflare:*'],
  })
  return gzip(result.outputFiles[0].contents)
}

async function cloudwerk() {
  const dir = mkdtempSync(join(tmpdir(), 'cw-bench-weight-'))
  try {
    cpSync(join(repo, 'templates', 'basic'), dir, { recursive: true })
    symlinkSync(join(repo, 'node_modules'), join(dir, 'node_modules'))
    const result = await buildApp(dir, { types: false })
    return gzip(readFileSync(result.outFile))
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const result = { handWrittenBytes: await handWritten(), cloudwerkBytes: await cloudwerk(), targetBytes: 15 * 1024 }
mkdirSync(join(repo, 'bench', 'results'), { recursive: true })
writeFileSync(join(repo, 'bench', 'results', 'weight.json'), JSON.stringify(result, null, 2))
console.log('| counter app, minified + gzip | bytes |')
console.log('|---|---|')
console.log(`| hand-written Worker + DurableObject | ${result.handWrittenBytes} |`)
console.log(`| Cloudwerk (router, bindings, object runtime) | ${result.cloudwerkBytes} (target < ${result.targetBytes}) |`)
