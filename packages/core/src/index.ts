export { json, text, html, redirect, notFound, type ResponseOptions } from './respond.js'
export { HttpError, type HttpErrorInit } from './http-error.js'
export type { Middleware, RouteContext, RouteHandler } from './types.js'
// Re-exported so that an app catching a failed stub call needs only `@cloudwerk/core`.
export {
  DurableObjectError,
  DurableObjectRPCError,
  DurableObjectMethodNotFoundError,
  DurableObjectNotFoundError,
  DurableObjectStateError,
  DurableObjectConfigError,
} from '@cloudwerk/durable-object'
