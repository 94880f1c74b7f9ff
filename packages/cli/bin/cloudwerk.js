#!/usr/bin/env node
// The compiled CLI lives in dist/ (built by `npm install` at the repository root, or `tsc -b`).
import module from 'node:module'

// Node 22.1+ keeps compiled code between runs (in the OS temp folder): 0.1-0.2 s off the start of
// `cloudwerk dev` here. On older Node, the CLI caches the code of Miniflare, wrangler and TypeScript itself (src/util/load-cached.ts).
module.enableCompileCache?.()

const { main } = await import('../dist/bin.js')
process.exitCode = await main(process.argv.slice(2))
