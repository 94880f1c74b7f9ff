import { createInterface, type Interface } from 'node:readline'
import { CreateError } from './errors.js'

/** Questions on a terminal. Every answer has a default (Enter) and a flag that skips the question. */
export class Prompt {
  private readonly rl: Interface
  // Lines typed (or pasted) ahead of their question wait here instead of being lost.
  private readonly lines: string[] = []
  private waiting?: (line: string | undefined) => void
  private ended = false

  constructor() {
    this.rl = createInterface({ input: process.stdin, output: process.stdout })
    this.rl.on('line', (line) => (this.waiting ? this.take(line) : this.lines.push(line)))
    this.rl.on('close', () => {
      this.ended = true
      this.take(undefined)
    })
    // Nothing is written before the last answer, so stopping here leaves nothing behind.
    this.rl.on('SIGINT', () => {
      this.rl.close()
      process.stdout.write('\n')
      process.exit(130)
    })
  }

  async text(question: string, fallback: string, check: (answer: string) => string | undefined = () => undefined): Promise<string> {
    for (;;) {
      const answer = (await this.ask(`${question} (${fallback}): `)).trim() || fallback
      const problem = check(answer)
      if (!problem) return answer
      console.log(problem)
    }
  }

  async choose(question: string, choices: string[], fallback: string): Promise<string> {
    return this.text(`${question} [${choices.join(', ')}]`, fallback, (answer) =>
      choices.includes(answer) ? undefined : `Type one of: ${choices.join(', ')}.`,
    )
  }

  async confirm(question: string, fallback: boolean): Promise<boolean> {
    const answer = (await this.ask(`${question} (${fallback ? 'Y/n' : 'y/N'}): `)).trim().toLowerCase()
    return answer ? answer.startsWith('y') : fallback
  }

  close(): void {
    this.rl.close()
  }

  private async ask(question: string): Promise<string> {
    this.rl.setPrompt(question)
    this.rl.prompt()
    const line = this.lines.length
      ? this.lines.shift()
      : this.ended
        ? undefined
        : await new Promise<string | undefined>((resolve) => (this.waiting = resolve))
    if (line === undefined)
      throw new CreateError(
        'The input ended before the last question (Ctrl-D): nothing was created. Run the command again, or give every answer as a flag (see --help).',
      )
    return line
  }

  private take(line: string | undefined): void {
    const waiting = this.waiting
    this.waiting = undefined
    waiting?.(line)
  }
}
