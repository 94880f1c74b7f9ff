/**
 * A problem with what the user asked for (folder, name, template, install): printed as one line
 * that says what to do, without a stack. Anything else that escapes is a bug.
 */
export class CreateError extends Error {
  override name = 'CreateError'
}

export function isCreateError(error: unknown): error is CreateError {
  return error instanceof CreateError
}
