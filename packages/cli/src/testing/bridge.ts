// A small Worker that runs beside the app under test and calls its objects from inside workerd.
// Calls made from Node through Miniflare's own stubs lose the thrown error's message and hand
// back proxies that die on restart; through this bridge, results and errors come back as JSON.

/** The bridge's source: it receives `{ binding, name | id, method, args }` and answers JSON. */
export const BRIDGE_SCRIPT = `
export default {
  async fetch(request, env) {
    const { binding, name, id, method, args } = await request.json()
    const namespace = env[binding]
    const stub = id ? namespace.get(namespace.idFromString(id)) : namespace.getByName(name)
    try {
      const value = method === '__cloudwerkTest' ? await stub.__cloudwerkTest(args[0]) : await stub[method](...args)
      return Response.json({ value: value === undefined ? null : value, undefined: value === undefined })
    } catch (error) {
      return Response.json({ error: { name: error?.name ?? 'Error', message: error?.message ?? String(error) } })
    }
  },
}
`

export interface BridgeCall {
  binding: string
  name?: string
  id?: string
  method: string
  args: unknown[]
}

/** Sends one call through the bridge; rethrows the object's error with its name and message. */
export async function callThroughBridge(fetcher: { fetch(url: string, init: RequestInit): Promise<Response> }, call: BridgeCall): Promise<unknown> {
  const response = await fetcher.fetch('http://bridge/', { method: 'POST', body: JSON.stringify(call) })
  const body = (await response.json()) as { value?: unknown; undefined?: boolean; error?: { name: string; message: string } }
  if (body.error) {
    const error = new Error(body.error.message)
    error.name = body.error.name
    throw error
  }
  return body.undefined ? undefined : body.value
}
