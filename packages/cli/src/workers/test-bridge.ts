// The test bridge: a Worker beside the app under test (testing/launch.ts) that calls its objects
// from inside workerd. Calls made from Node through Miniflare's own stubs lose the thrown error's
// message and hand back proxies that die on restart; through this bridge, results and errors
// come back as JSON (bridge-wire.ts).
import { decodeValue, encodeValue, type BridgeAnswer, type BridgeCall } from './bridge-wire.js'

type Env = Record<string, DurableObjectNamespace>
type Methods = Record<string, (...args: unknown[]) => Promise<unknown>>

export default {
  async fetch(request, env) {
    const { binding, name, id, method, args } = await request.json<BridgeCall>()
    const namespace = env[binding]
    const stub = id ? namespace.get(namespace.idFromString(id)) : namespace.getByName(name!)
    let answer: BridgeAnswer
    try {
      // Any method, the test hook (`__cloudwerkTest`) too: a stub answers every name over RPC.
      const value = await (stub as unknown as Methods)[method](...(decodeValue(args) as unknown[]))
      answer = { value: encodeValue(value) }
    } catch (error) {
      const thrown = error as Partial<Error> | undefined
      answer = { error: { name: thrown?.name ?? 'Error', message: thrown?.message ?? String(error) } }
    }
    return Response.json(answer)
  },
} satisfies ExportedHandler<Env>
