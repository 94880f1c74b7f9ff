import { readFileSync } from 'node:fs'
import { isCreateError, run } from './index.js'

/** The entry of `npm create cloudwerk`: the app depends on the framework version released with this package. */
export async function main(argv: string[]): Promise<number> {
  const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
  try {
    return await run(argv, { command: 'npm create cloudwerk@latest', version })
  } catch (error) {
    if (!isCreateError(error)) throw error
    console.error(`Error: ${error.message}`)
    return 1
  }
}
