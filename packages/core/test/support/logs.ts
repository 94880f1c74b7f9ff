// Collects what the Worker writes to the console, so tests can assert what gets logged.
import type { MiniflareOptions } from 'miniflare'

export interface CapturedLogs {
  miniflare: Partial<MiniflareOptions>
  /** Every line written so far, stdout and stderr together. */
  lines: string[]
  /** Waits until a line matches (logs arrive from workerd asynchronously). */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>
}

export function captureLogs(): CapturedLogs {
  const lines: string[] = []
  const collect = (stream: NodeJS.ReadableStream) => {
    let pending = ''
    stream.setEncoding('utf8')
    stream.on('data', (chunk: string) => {
      pending += chunk
      const complete = pending.split('\n')
      pending = complete.pop() ?? ''
      lines.push(...complete)
    })
  }
  return {
    lines,
    miniflare: { handleRuntimeStdio: (stdout, stderr) => (collect(stdout), collect(stderr)) },
    // Generous: a busy machine can hold a line back for seconds; a match returns at once.
    async waitFor(pattern, timeoutMs = 10_000) {
      const started = Date.now()
      for (;;) {
        const line = lines.find((l) => pattern.test(l))
        if (line !== undefined) return line
        if (Date.now() - started > timeoutMs) throw new Error(`No log line matched ${pattern}; got:\n${lines.join('\n')}`)
        await new Promise((resolve) => setTimeout(resolve, 10))
      }
    },
  }
}
