// WebSocket clients for the room tests: each keeps every frame it received, parsed.
import WebSocket from 'ws'

/**
 * Opens a socket and resolves once the server's welcome frame has arrived.
 * @param {string} url ws://... or http://... (turned into ws://)
 * @param {{ timeoutMs?: number }} [options]
 */
export function openClient(url, options = {}) {
  const timeoutMs = options.timeoutMs ?? 15_000
  const ws = new WebSocket(url.replace(/^http/, 'ws'))
  const received = []
  const waiters = new Set()
  ws.on('message', (data) => {
    const frame = JSON.parse(String(data))
    if (client.onFrame?.(frame)) return
    received.push(frame)
    for (const waiter of waiters) waiter()
  })
  const client = {
    ws,
    received,
    /** When set and it returns true, a frame is counted by the caller instead of being kept. */
    onFrame: undefined,
    send: (frame) => ws.send(JSON.stringify(frame)),
    /** Resolves with the first received frame (old or new) that matches. */
    next(match, ms = timeoutMs) {
      return client.until(() => received.find(match), ms, 'a matching frame')
    },
    /** Resolves with `check()` once it is truthy; rejects after `ms`. */
    until(check, ms = timeoutMs, what = 'the condition') {
      return new Promise((resolve, reject) => {
        const waiter = () => {
          const value = check()
          if (!value) return
          waiters.delete(waiter)
          clearTimeout(timer)
          resolve(value)
        }
        const timer = setTimeout(() => {
          waiters.delete(waiter)
          reject(new Error(`gave up after ${ms} ms waiting for ${what}; ${received.length} frames received`))
        }, ms)
        waiters.add(waiter)
        waiter()
      })
    },
    close() {
      return new Promise((resolve) => {
        if (ws.readyState === WebSocket.CLOSED) return resolve()
        ws.once('close', () => resolve())
        ws.close(1000, 'bye')
        // A close handshake the server never answers must not hang the test.
        setTimeout(() => (ws.terminate(), resolve()), 5_000).unref()
      })
    },
  }
  return new Promise((resolve, reject) => {
    ws.once('error', reject)
    ws.once('unexpected-response', (_request, response) => reject(new Error(`${url} answered ${response.statusCode} instead of upgrading`)))
    client.next((frame) => frame.type === 'welcome').then(() => resolve(client), reject)
  })
}

/** Opens `count` clients, at most `parallel` handshakes at a time (a burst of 500 can time out). */
export async function openClients(urlFor, count, parallel = 50) {
  const clients = []
  for (let start = 0; start < count; start += parallel) {
    const batch = Array.from({ length: Math.min(parallel, count - start) }, (_, i) => openClient(urlFor(start + i)))
    clients.push(...(await Promise.all(batch)))
  }
  return clients
}
