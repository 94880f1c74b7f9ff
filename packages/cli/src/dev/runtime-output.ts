import { readFileSync, statSync } from 'node:fs'
import { SourceMap } from 'node:module'
import { dirname, relative, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import type { Readable } from 'node:stream'
import { fileURLToPath } from 'node:url'
import { red } from '../util/log.js'

export interface RuntimeOutputOptions {
  root: string
  /** The objects bundle workerd runs now (its source map sits beside it). */
  script: () => string
  /** Called each time workerd has been spawned, before it is configured. */
  onSpawn: () => void
  log: (line: string) => void
  logError: (line: string) => void
}

/**
 * Miniflare's `handleRuntimeStdio`: prints what workerd prints, with the objects bundle's stack
 * frames (`index.js:1190:19`) mapped to the user's files (`app/objects/wallet.ts:8:19`).
 */
export function handleRuntimeOutput(options: RuntimeOutputOptions) {
  const mapFrames = createFrameMapper(options.root, options.script)
  return (stdout: Readable, stderr: Readable) => {
    options.onSpawn()
    createInterface(stdout).on('line', (line) => options.log(mapFrames(line)))
    let dropStack = false
    createInterface(stderr).on('line', (line) => {
      // A taken port: workerd's fatal error and its native stack come before the error Miniflare
      // throws, which dev turns into the message that says what to do.
      if (/^\*\*\* Fatal uncaught kj::Exception: .*Address already in use/.test(line)) return (dropStack = true)
      if (dropStack && line.startsWith('stack: ')) return (dropStack = false)
      dropStack = false
      options.logError(red(mapFrames(line)))
    })
  }
}

/** Replaces `index.js:line:column` with the source position, where the source map knows it. */
function createFrameMapper(root: string, script: () => string): (line: string) => string {
  let loaded: { file: string; mtimeMs: number; map: SourceMap } | undefined
  const sourceMap = (): SourceMap | undefined => {
    const file = `${script()}.map`
    try {
      const { mtimeMs } = statSync(file)
      if (loaded?.file !== file || loaded.mtimeMs !== mtimeMs)
        loaded = { file, mtimeMs, map: new SourceMap(JSON.parse(readFileSync(file, 'utf8'))) }
      return loaded.map
    } catch {
      return undefined
    }
  }
  return (line) => {
    const map = line.includes('index.js:') ? sourceMap() : undefined
    if (!map) return line
    // workerd names the module by its URL: file:///app/.cloudwerk/dev/build/index.js:1190:19
    const frames = new RegExp(`(?:file://${escapeRegExp(dirname(script()))}/)?\\bindex\\.js:(\\d+):(\\d+)`, 'g')
    return line.replace(frames, (frame, lineNumber: string, column: string) => {
      // Stack positions count from 1, source map positions from 0.
      const entry = map.findEntry(Number(lineNumber) - 1, Number(column) - 1) as {
        originalSource?: string
        originalLine?: number
        originalColumn?: number
      }
      if (!entry.originalSource) return frame
      const source = entry.originalSource.startsWith('file:')
        ? fileURLToPath(entry.originalSource)
        : resolve(dirname(loaded!.file), entry.originalSource)
      return `${relative(root, source)}:${entry.originalLine! + 1}:${entry.originalColumn! + 1}`
    })
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
