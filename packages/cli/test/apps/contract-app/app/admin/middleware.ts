import { HttpError, type Middleware } from '@cloudwerk/core'

const requireKey: Middleware = async (request, next) => {
  if (request.headers.get('x-key') !== 'let-me-in') throw new HttpError(401, 'Key required')
  const response = await next()
  response.headers.append('x-middleware', 'admin')
  return response
}

export default requireKey
