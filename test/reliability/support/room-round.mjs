// One round of the room test: every client sends `perClient` frames, the room broadcasts each to
// every client (the sender too), and each client tallies what it heard. Tallies, not lists, so a
// 500-client soak does not fill the test's own memory.

/**
 * @param {Array<{ send(frame: unknown): void, onFrame?: (frame: any) => boolean }>} clients
 * @param {{ round: number, perClient: number, timeoutMs: number }} options
 * @returns {Promise<{ sent: number, expectedDeliveries: number, lost: number, duplicated: number }>}
 */
export async function runRound(clients, { round, perClient, timeoutMs }) {
  const sent = clients.length * perClient
  // tallies[c][s * perClient + k]: how often client c heard frame k of sender s.
  const tallies = clients.map(() => new Uint16Array(sent))
  const heard = clients.map(() => 0)
  clients.forEach((client, c) => {
    client.onFrame = (frame) => {
      if (frame.type !== 'said') return false
      const [r, s, k] = String(frame.id).split(':').map(Number)
      if (r === round) {
        tallies[c][s * perClient + k]++
        heard[c]++
      }
      return true
    }
  })
  clients.forEach((client, s) => {
    for (let k = 0; k < perClient; k++) client.send({ type: 'say', id: `${round}:${s}:${k}` })
  })
  const deadline = Date.now() + timeoutMs
  while (heard.some((count) => count < sent) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20))
  // A short grace period catches duplicates that would arrive after the last expected frame.
  await new Promise((resolve) => setTimeout(resolve, 100))
  let lost = 0
  let duplicated = 0
  for (const tally of tallies) {
    for (const count of tally) {
      if (count === 0) lost++
      else duplicated += count - 1
    }
  }
  return { sent, expectedDeliveries: sent * clients.length, lost, duplicated }
}
