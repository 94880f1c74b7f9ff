// A CPU profile of the chat room's turns, taken in workerd through its inspector (node's
// --cpu-prof cannot see inside workerd): fills one room to 1,000 messages, profiles MESSAGES
// more, each sent once its broadcast came back, and prints the functions with the most self
// time and the CPU per message. The .cpuprofile is written to bench/results (open it in
// Chrome DevTools' Performance panel).
// Run: node bench/chat/profile.mjs cloudwerk shift   (impl: cloudwerk|plain|rows; trim: slice|shift|splice|none)
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import WebSocket from 'ws'
import { joinRoom, startChatWorker } from './start.mjs'

const [impl = 'cloudwerk', trim = 'shift'] = process.argv.slice(2)
const MESSAGES = Number(process.env.MESSAGES ?? 2000)
const PORT = Number(process.env.INSPECTOR_PORT ?? 9300 + Math.floor(Math.random() * 500))

const worker = await startChatWorker({ inspectorPort: PORT })
try {
  const { ws, send } = await joinRoom(worker.origin, impl, trim)
  for (let sent = 0; sent < 1100; sent += 100) await Promise.all(Array.from({ length: 100 }, send))

  const inspector = await connectInspector(PORT)
  await inspector.call('Profiler.enable')
  await inspector.call('Profiler.setSamplingInterval', { interval: 100 })
  await inspector.call('Profiler.start')
  const start = performance.now()
  for (let i = 0; i < MESSAGES; i++) await send()
  const seconds = (performance.now() - start) / 1000
  const { profile } = await inspector.call('Profiler.stop')
  inspector.close()
  ws.terminate()

  mkdirSync(join(import.meta.dirname, '../results'), { recursive: true })
  const file = join(import.meta.dirname, `../results/chat-${impl}-${trim}.cpuprofile`)
  writeFileSync(file, JSON.stringify(profile))
  printSummary(profile, seconds)
  console.log(`profile: ${file}`)
} finally {
  await worker.dispose()
}

/** The inspector of the Worker's isolate: `call(method, params)` resolves with the result. */
async function connectInspector(port) {
  const targets = await (await fetch(`http://127.0.0.1:${port}/json`)).json()
  const target = targets.find((t) => t.webSocketDebuggerUrl && !/internal|entry/.test(t.id ?? t.title)) ?? targets[0]
  const socket = new WebSocket(target.webSocketDebuggerUrl)
  await new Promise((resolve, reject) => (socket.once('open', resolve), socket.once('error', reject)))
  let id = 0
  const pending = new Map()
  socket.on('message', (data) => {
    const message = JSON.parse(data.toString())
    const waiter = pending.get(message.id)
    if (!waiter) return
    pending.delete(message.id)
    if (message.error) waiter.reject(new Error(message.error.message))
    else waiter.resolve(message.result)
  })
  return {
    call: (method, params = {}) =>
      new Promise((resolve, reject) => {
        pending.set(++id, { resolve, reject })
        socket.send(JSON.stringify({ id, method, params }))
      }),
    close: () => socket.close(),
  }
}

function printSummary(profile, seconds) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]))
  const self = new Map()
  const deltas = profile.timeDeltas
  profile.samples.forEach((id, i) => {
    const { callFrame } = byId.get(id)
    const name = `${callFrame.functionName || '(anonymous)'} ${callFrame.url.split('/').pop()}:${callFrame.lineNumber + 1}`
    self.set(name, (self.get(name) ?? 0) + (deltas[i] ?? 0))
  })
  const total = [...self.values()].reduce((a, b) => a + b, 0)
  const idle = self.get('(idle) :0') ?? 0
  const busy = total - idle
  console.log(
    `${impl}/${trim}: ${MESSAGES} messages in ${seconds.toFixed(2)} s (${Math.round(MESSAGES / seconds)} msg/s); ` +
      `CPU in the isolate ${(busy / 1000 / MESSAGES).toFixed(3)} ms per message (idle excluded)`,
  )
  const top = [...self.entries()]
    .filter(([name]) => name !== '(idle) :0')
    .sort((a, b) => b[1] - a[1])
    .slice(0, 25)
  for (const [name, micros] of top)
    console.log(`${((100 * micros) / busy).toFixed(1).padStart(5)}%  ${(micros / 1000 / MESSAGES).toFixed(4)} ms/msg  ${name}`)
}
