#!/usr/bin/env node
// The compiled CLI lives in dist/ (built by `npm install` at the repository root, or `tsc -b`).
import { main } from '../dist/bin.js'

process.exitCode = await main(process.argv.slice(2))
