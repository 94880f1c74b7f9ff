import { help as createHelp, isCreateError, run as create } from 'create-cloudwerk'
import { UserError } from '../util/errors.js'
import { readVersion } from '../util/version.js'

// `cloudwerk create` is `npm create cloudwerk`: the templates and the code that copies them live
// (and ship) in create-cloudwerk; the CLI only says which framework version the app gets: its own.
const COMMAND = 'cloudwerk create'

export const help = createHelp(COMMAND)

export async function run(argv: string[]): Promise<number> {
  try {
    return await create(argv, { command: COMMAND, version: readVersion() })
  } catch (error) {
    throw isCreateError(error) ? new UserError(error.message) : error
  }
}
