// A write burst for the crash tests: clients appending entries to one ledger, each waiting for
// its answer before the next write. A write counts as acknowledged once its 200 has arrived.

/**
 * @param {string} url the app
 * @param {{ label: string, acknowledged: Set<string>, clients?: number, maxPerClient?: number }} options
 * @returns {{ done: Promise<unknown> }} resolves when every client has stopped (the server went
 *   away, answered something else than 200, or the client wrote `maxPerClient` entries)
 */
export function startBurst(url, { label, acknowledged, clients = 20, maxPerClient = 2_000 }) {
  const running = Array.from({ length: clients }, async (_, client) => {
    for (let seq = 0; seq < maxPerClient; seq++) {
      const id = `${label}-${client}-${seq}`
      try {
        const response = await fetch(`${url}/api/ledger/crash`, {
          method: 'POST',
          body: JSON.stringify({ id, amount: 1 }),
          signal: AbortSignal.timeout(10_000),
        })
        if (response.status !== 200) return
        acknowledged.add(id)
      } catch {
        return // connection refused or reset: the server is gone
      }
    }
  })
  return { done: Promise.all(running) }
}

/** Resolves once `set` holds `count` items; rejects after `timeoutMs`. */
export async function waitForSize(set, count, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs
  while (set.size < count) {
    if (Date.now() > deadline) throw new Error(`only ${set.size} of ${count} writes acknowledged after ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

/**
 * Reads the ledger back (the object validates it against its schema on load, so a 200 means it
 * passed) and compares it with what was acknowledged.
 */
export async function auditLedger(url, acknowledged) {
  const response = await fetch(`${url}/api/ledger/crash`)
  const state = await response.json()
  const ids = state.entries.map((entry) => entry.id)
  const stored = new Set(ids)
  return {
    status: response.status,
    state,
    stored: ids.length,
    duplicated: ids.length - stored.size,
    missing: [...acknowledged].filter((id) => !stored.has(id)),
    balanceMatches: state.balance === ids.length,
  }
}
