/**
 * `chat-room` -> `ChatRoom`: kebab-case (or snake_case) file names become PascalCase classes.
 *
 * @example classNameFromFile('chat-room') // 'ChatRoom'
 */
export function classNameFromFile(base: string): string {
  return base
    .split(/[-_.\s]+/)
    .filter(Boolean)
    .map((word) => word[0].toUpperCase() + word.slice(1))
    .join('')
}

/**
 * `ChatRoom` -> `CHAT_ROOM`; runs of capitals stay together (`HTTPClient` -> `HTTP_CLIENT`).
 *
 * @example bindingNameFromClass('RateLimiter') // 'RATE_LIMITER'
 */
export function bindingNameFromClass(className: string): string {
  return className
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toUpperCase()
}

export function isValidClassName(name: string): boolean {
  return /^[A-Z][A-Za-z0-9]*$/.test(name)
}

/** `ChatRoom` -> `chat-room`: where the object file of a class lives. */
export function fileFromClassName(className: string): string {
  return bindingNameFromClass(className).toLowerCase().replace(/_/g, '-')
}
