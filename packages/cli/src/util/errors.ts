/**
 * A problem in the user's project: printed as is (file, what is wrong, how to fix), without a
 * stack. Anything else that escapes a command is a bug in Cloudwerk and is printed with its stack.
 */
export class UserError extends Error {
  override name = 'UserError'
  constructor(
    message: string,
    readonly file?: string,
  ) {
    super(message)
  }
}

export function isUserError(error: unknown): error is UserError {
  return error instanceof UserError
}
