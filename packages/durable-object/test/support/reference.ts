// Bindings of fixtures/reference-app.ts, shared by the test files that run it.
export const REFERENCE_OBJECTS = {
  ANALYTICS: 'Analytics',
  CART: 'Cart',
  CHAT_ROOM: 'ChatRoom',
  COUNTER: 'Counter',
  DOCUMENT: 'Document',
  PREFERENCES: 'Preferences',
  RATE_LIMITER: 'RateLimiter',
  SESSION: 'Session',
  USER_SESSION: 'UserSession',
}

export const REFERENCE_ENTRY = new URL('../fixtures/reference-app.ts', import.meta.url).pathname
