import { HttpError } from '@cloudwerk/core'

/** Room names as they appear in URLs: short, and safe to show anywhere. */
export function roomName(raw: string): string {
  if (/^[\w-]{1,40}$/.test(raw)) return raw
  throw new HttpError(400, `"${raw.slice(0, 60)}" is not a room name: use 1 to 40 letters, digits, "-" or "_".`)
}
