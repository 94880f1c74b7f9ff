import { durableObjects } from '@cloudwerk/core/bindings'
import { HttpError } from '@cloudwerk/core'

const DOC_ID = /^[\w-]{1,64}$/

/** The SharedDoc behind a document id from the URL, or a 400 for an id that is not one. */
export function findDoc(id: string) {
  if (!DOC_ID.test(id)) throw new HttpError(400, 'A document id is 1 to 64 letters, digits, "-" or "_".')
  return durableObjects.SharedDoc.getByName(id)
}
