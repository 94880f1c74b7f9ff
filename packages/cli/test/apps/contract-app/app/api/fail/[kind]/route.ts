import { HttpError, type RouteHandler } from '@cloudwerk/core'

export const GET: RouteHandler<{ kind: string }> = ({ url }, { params }) => {
  if (params.kind === 'http') throw new HttpError(418, 'I am a teapot', { headers: { 'x-reason': 'tea' } })
  if (params.kind === 'no-return') return undefined as unknown as Response
  throw new Error(`failed at ${new URL(url).pathname}`)
}
