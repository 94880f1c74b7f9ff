import { durableObjects } from '@cloudwerk/core/bindings'

export const GET = (request: Request) => durableObjects.Counter.getByName('socket').fetch(request)
