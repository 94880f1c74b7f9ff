// Pure data, with no Workers or Node APIs: the build (@cloudwerk/durable-object/shared/handler-names)
// and the runtime read the same list.

/**
 * The handlers a definition may have beside `methods`: the platform calls them by these names.
 * The runtime validates definitions against this list and the build reads them from object files.
 */
export const HANDLER_NAMES = ['fetch', 'alarm', 'webSocketMessage', 'webSocketClose', 'webSocketError'] as const
