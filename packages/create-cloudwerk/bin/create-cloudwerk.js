#!/usr/bin/env node
// `npm create cloudwerk@latest my-app` runs this file. The code lives in dist/ (compiled by tsc).
const { main } = await import('../dist/bin.js')
process.exitCode = await main(process.argv.slice(2))
