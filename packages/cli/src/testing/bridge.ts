import * as esbuild from 'esbuild'
import { fileURLToPath } from 'node:url'
import { WORKER_BUNDLE } from '../pipeline/bundle.js'
import { decodeValue, encodeValue, type BridgeAnswer, type BridgeCall } from '../workers/bridge-wire.js'

export type { BridgeCall }

let bundled: Promise<string> | undefined

/**
 * The bridge Worker (src/workers/test-bridge.ts) as one ES module, bundled on first use like the
 * app's own Worker: from its compiled copy in dist/workers in the published package, from the
 * TypeScript source when this file runs from source.
 */
export function bridgeScript(): Promise<string> {
  bundled ??= esbuild
    .build({
      ...WORKER_BUNDLE,
      absWorkingDir: fileURLToPath(new URL('../workers', import.meta.url)),
      // No extension: test-bridge.js beside the compiled code, test-bridge.ts beside the source.
      entryPoints: ['./test-bridge'],
      write: false,
      logLevel: 'silent',
    })
    .then((result) => result.outputFiles[0].text)
  return bundled
}

/** Sends one call through the bridge; rethrows the object's error with its name and message. */
export async function callThroughBridge(
  fetcher: { fetch(url: string, init: RequestInit): Promise<Response> },
  call: BridgeCall,
): Promise<unknown> {
  const response = await fetcher.fetch('http://bridge/', {
    method: 'POST',
    body: JSON.stringify({ ...call, args: encodeValue(call.args) }),
  })
  const answer = (await response.json()) as BridgeAnswer
  if (answer.error) {
    const error = new Error(answer.error.message)
    error.name = answer.error.name
    throw error
  }
  return decodeValue(answer.value)
}
