// Test-side helpers for the fixture Workers' /rpc route (see fixtures/rpc-route.ts).
import type { TestWorker } from '../../../../test/support/worker'
import type { RpcCall, RpcOutcome } from '../fixtures/rpc-route'

export interface ObjectClient {
  /** Calls a method from inside the Worker and returns its result; throws the remote error. */
  call<T = unknown>(binding: string, name: string, method: string, ...args: unknown[]): Promise<T>
  /** Calls a method that must fail and returns the error it failed with. */
  failure(binding: string, name: string, method: string, ...args: unknown[]): Promise<{ name: string; message: string; path?: string }>
  /** Makes all calls concurrently from one Worker invocation. */
  callAll(calls: RpcCall[]): Promise<RpcOutcome[]>
}

export function objectClient(worker: TestWorker): ObjectClient {
  const post = async (body: RpcCall | RpcCall[]) => {
    const response = await worker.fetch('/rpc', { method: 'POST', body: JSON.stringify(body) })
    if (!response.ok) throw new Error(`/rpc answered ${response.status}: ${await response.text()}`)
    return response.json()
  }
  return {
    async call(binding, name, method, ...args) {
      const outcome = (await post({ binding, name, method, args })) as RpcOutcome
      if (outcome.ok) return outcome.value as never
      throw Object.assign(new Error(outcome.error.message), outcome.error)
    },
    async failure(binding, name, method, ...args) {
      const outcome = (await post({ binding, name, method, args })) as RpcOutcome
      if (outcome.ok) throw new Error(`${binding}.${method}() was expected to fail but returned ${JSON.stringify(outcome.value)}`)
      return outcome.error
    },
    callAll: (calls) => post(calls) as Promise<RpcOutcome[]>,
  }
}

/** Polls `read` until `done` holds (alarms fire on their own schedule), or fails after 15 s. */
export async function waitUntil<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 15_000
  for (;;) {
    const value = await read()
    if (done(value)) return value
    if (Date.now() > deadline) throw new Error(`gave up waiting; last value ${JSON.stringify(value)}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}
