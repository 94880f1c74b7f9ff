// HTTP/1.1 written by hand on a loopback socket, so a test can send what fetch() would refuse or
// normalise: `..` segments, backslashes, unknown methods, huge header sections.
import { connect } from 'node:net'

/**
 * Sends `head` (request line and headers, without the final blank line) and `body`, and resolves
 * with the status (0 when the server closed without answering) and the raw response text.
 * @param {string} url the server, e.g. http://127.0.0.1:8787
 * @param {string} head
 * @param {{ body?: string, timeoutMs?: number, hangUpAfterMs?: number }} [options] with
 *   `hangUpAfterMs`, the client drops the connection that long after writing (no answer awaited)
 */
export function rawRequest(url, head, options = {}) {
  const { hostname, port } = new URL(url)
  const body = options.body ?? ''
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname)
    const chunks = []
    const timer = setTimeout(() => {
      socket.destroy()
      reject(new Error(`no answer within ${options.timeoutMs ?? 10_000} ms to ${head.split('\r\n')[0].slice(0, 80)}`))
    }, options.timeoutMs ?? 10_000)
    const finish = () => {
      clearTimeout(timer)
      socket.destroy()
      const text = Buffer.concat(chunks).toString('latin1')
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1] ?? 0)
      resolve({ status, text, body: text.slice(text.indexOf('\r\n\r\n') + 4) })
    }
    // Done when the body announced by content-length (or the last chunk) has arrived: a server
    // may keep the connection open a while even after `connection: close`.
    const complete = () => {
      const text = Buffer.concat(chunks).toString('latin1')
      const end = text.indexOf('\r\n\r\n')
      if (end < 0) return false
      const length = /\r\ncontent-length: *(\d+)/i.exec(text.slice(0, end))
      if (length) return Buffer.byteLength(text.slice(end + 4), 'latin1') >= Number(length[1])
      return /\r\ntransfer-encoding: *chunked/i.test(text.slice(0, end)) && text.endsWith('0\r\n\r\n')
    }
    socket.on('data', (chunk) => {
      chunks.push(chunk)
      if (complete()) finish()
    })
    socket.on('end', finish)
    socket.on('close', finish)
    // A server may reset a connection it refuses; that is an answer too (status 0).
    socket.on('error', () => {})
    // A head that states its own content-length gets exactly `body`, more or less than it says.
    const length = body && !/content-length:/i.test(head) ? `\r\ncontent-length: ${Buffer.byteLength(body)}` : ''
    socket.write(`${head}\r\nhost: ${hostname}\r\nconnection: close${length}\r\n\r\n${body}`)
    if (options.hangUpAfterMs !== undefined) setTimeout(() => socket.destroy(), options.hangUpAfterMs)
  })
}
