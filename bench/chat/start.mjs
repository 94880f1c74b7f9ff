// The chat benchmark Worker (worker.ts) in Miniflare, SQLite files on disk in a temporary folder.
import { Miniflare } from 'miniflare'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import WebSocket from 'ws'
import { benchWorkerOptions } from '../support/worker.mjs'

const here = import.meta.dirname

/**
 * Starts workerd with the three rooms; resolves with its origin (http://...) and `dispose`.
 * `inspectorPort` opens workerd's inspector there (profile.mjs takes CPU profiles through it).
 */
export async function startChatWorker({ inspectorPort } = {}) {
  const persist = mkdtempSync(join(tmpdir(), 'cloudwerk-bench-chat-'))
  const rooms = ['CloudwerkRoom', 'PlainRoom', 'RowsRoom']
  const mf = new Miniflare(
    await benchWorkerOptions(join(here, 'worker.ts'), Object.fromEntries(rooms.map((name) => [name, name])), {
      host: '127.0.0.1',
      port: 0,
      durableObjectsPersist: persist,
      ...(inspectorPort ? { inspectorPort } : {}),
    }),
  )
  const origin = (await mf.ready).href.replace(/\/$/, '')
  return {
    origin,
    async dispose() {
      await mf.dispose()
      rmSync(persist, { recursive: true, force: true })
    },
  }
}

const TEXT = 'hello everyone, this is a chat message of a typical length for the room'

/** One client in its own room; `send` resolves when the broadcast of that message came back. */
export async function joinRoom(origin, impl, trim) {
  const ws = new WebSocket(`${origin.replace(/^http/, 'ws')}/${impl}/${trim}?username=ada`)
  await new Promise((resolve, reject) => (ws.once('open', resolve), ws.once('error', reject)))
  const waiting = new Map()
  ws.on('message', (data) => {
    const { text } = JSON.parse(data.toString())
    waiting.get(text)?.()
    waiting.delete(text)
  })
  let seq = 0
  const send = () => {
    const text = `${TEXT} #${seq++}`
    return new Promise((resolve) => (waiting.set(text, resolve), ws.send(JSON.stringify({ type: 'message', text, trim }))))
  }
  return { ws, send }
}
