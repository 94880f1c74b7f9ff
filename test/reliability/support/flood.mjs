// A flood of chat messages at one room, measured from outside: `sockets` clients each send
// `perSecond` messages a second for `seconds` seconds to a room that broadcasts each one to every
// client (the reference chat room: `{ type: 'message', text }` in, `{ type: 'message', ... }` out).
// While it runs, another request (`probeUrl`) is made again and again to see how long the rest of
// the Worker waits, and workerd's resident memory is sampled. Used by the soak
// (test/reliability/soak.mjs) and the chat benchmark (bench/chat/flood.mjs).
import http from 'node:http'
import WebSocket from 'ws'
import { residentBytes } from './app.mjs'

const MB = 2 ** 20

/**
 * Runs one flood. Resolves when every broadcast has reached every client, or after `timeoutMs`.
 * @param {{ socketUrl: (i: number) => string, probeUrl: string, workerd?: number, sockets?: number,
 *   perSecond?: number, seconds?: number, timeoutMs?: number, label?: string }} options
 */
export async function runFlood(options) {
  const { socketUrl, probeUrl, workerd, sockets = 50, perSecond = 20, seconds = 10, timeoutMs = 300_000, label = 'f' } = options
  const clients = await Promise.all(Array.from({ length: sockets }, (_, i) => openSocket(socketUrl(i).replace(/^http/, 'ws'))))
  const tag = `${label}${Date.now()}|`
  let delivered = 0
  let lastDelivery = 0
  let expected = Infinity
  let onDrained
  const drained = new Promise((resolve) => (onDrained = resolve))
  for (const ws of clients) {
    ws.on('message', (data) => {
      // Only this flood's messages (a room may have sent history or joins before).
      if (!String(data).includes(tag)) return
      delivered++
      lastDelivery = performance.now()
      if (delivered >= expected) onDrained()
    })
  }
  let peakRss = workerd ? residentBytes(workerd) : 0
  const rssAtStart = peakRss
  const sampler = workerd ? setInterval(() => (peakRss = Math.max(peakRss, residentBytes(workerd))), 100) : undefined
  let probing = true
  let slowestOther = 0
  let probes = 0
  const failedOther = []
  const probe = (async () => {
    while (probing) {
      const start = performance.now()
      // A failed request counts too (its time is how long it waited before failing).
      const failure = await get(probeUrl)
      slowestOther = Math.max(slowestOther, performance.now() - start)
      probes++
      if (failure) failedOther.push(`${failure} after ${Math.round(performance.now() - start)} ms`)
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  })()
  // Each client sends on its own clock, spread over the first interval.
  let sent = 0
  const started = performance.now()
  await Promise.all(
    clients.map(
      (ws, c) =>
        new Promise((resolve) => {
          let n = 0
          const total = perSecond * seconds
          const send = () => {
            ws.send(JSON.stringify({ type: 'message', text: `${tag}${c}:${n}` }))
            sent++
            if (++n === total) (clearInterval(timer), resolve())
          }
          let timer
          setTimeout(() => ((timer = setInterval(send, 1000 / perSecond)), send()), (c * 1000) / perSecond / sockets)
        }),
    ),
  )
  const sendingStopped = performance.now()
  expected = sent * sockets
  if (delivered >= expected) onDrained()
  let timer
  const timedOut = await Promise.race([drained.then(() => false), new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs, true)))])
  clearTimeout(timer)
  probing = false
  await probe
  clearInterval(sampler)
  if (workerd) peakRss = Math.max(peakRss, residentBytes(workerd))
  await Promise.all(
    clients.map(
      (ws) =>
        new Promise((resolve) => (ws.once('close', resolve), ws.close(1000), setTimeout(() => (ws.terminate(), resolve()), 5000).unref())),
    ),
  )
  return {
    sockets,
    messagesSent: sent,
    deliveries: delivered,
    lost: expected - delivered,
    sendingSeconds: round((sendingStopped - started) / 1000, 1),
    drainSeconds: timedOut ? null : round(Math.max(0, lastDelivery - sendingStopped) / 1000, 2),
    slowestOtherRequestMs: round(slowestOther),
    otherRequests: probes,
    failedOtherRequests: failedOther,
    workerdRssAtStartMB: round(rssAtStart / MB, 1),
    workerdRssPeakMB: round(peakRss / MB, 1),
  }
}

/** Sends `count` messages from one socket, 100 at a time, each batch once its broadcasts came back. */
export async function fillRoom(url, count) {
  const ws = await openSocket(url.replace(/^http/, 'ws'))
  let received = 0
  ws.on('message', () => received++)
  for (let sent = 0; sent < count; sent += 100) {
    for (let i = 0; i < 100; i++) ws.send(JSON.stringify({ type: 'message', text: `fill ${sent + i}` }))
    while (received < sent + 100) await new Promise((resolve) => setTimeout(resolve, 5))
  }
  ws.close()
}

// A GET on a connection of its own: a kept-alive one may be closed by the server while a request
// waits behind the flood, which would count against the Worker a failure of the client's reuse.
function get(url) {
  return new Promise((resolve) => {
    const request = http.get(url, { agent: false }, (response) => {
      response.resume()
      response.on('end', () => resolve(response.statusCode === 200 ? undefined : `status ${response.statusCode}`))
    })
    request.on('error', (error) => resolve(error.message))
  })
}

function openSocket(url) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url)
    ws.once('open', () => resolve(ws))
    ws.once('error', reject)
  })
}

function round(value, digits = 0) {
  return Math.round(value * 10 ** digits) / 10 ** digits
}
