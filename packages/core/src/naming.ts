// Names shared by the build (the CLI names classes and bindings after files) and the runtime (the
// bindings proxy finds `CHAT_ROOM` from `durableObjects.ChatRoom`). Both sides must agree, so the
// rules live here once, as pure functions.

const SOURCE_EXTENSION = /\.(?:[cm]?[jt]s|tsx|jsx)$/

/**
 * A source file's name without its JavaScript or TypeScript extension: what an import names.
 *
 * @example withoutSourceExtension('app/objects/chat-room.ts') // 'app/objects/chat-room'
 */
export function withoutSourceExtension(file: string): string {
  return file.replace(SOURCE_EXTENSION, '')
}

/**
 * The class name for an object file: words split on anything that is not a letter or a digit,
 * each word capitalised, the rest of the word kept as written.
 *
 * @example
 * classNameFromFile('chat-room') // 'ChatRoom'
 * classNameFromFile('chat-room.ts') // 'ChatRoom'
 * classNameFromFile('httpClient') // 'HttpClient'
 */
export function classNameFromFile(file: string): string {
  const base = withoutSourceExtension(file.slice(file.lastIndexOf('/') + 1))
  return base
    .split(/[^A-Za-z0-9]+/)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('')
}

/**
 * The binding name for a class: SCREAMING_SNAKE_CASE, splitting where a lower-case letter or a
 * digit meets an upper-case one, and before the last capital of an acronym.
 *
 * @example
 * bindingNameFromClass('ChatRoom') // 'CHAT_ROOM'
 * bindingNameFromClass('HTTPClient') // 'HTTP_CLIENT'
 * bindingNameFromClass('S3Bucket') // 'S3_BUCKET'
 */
export function bindingNameFromClass(className: string): string {
  return className
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1_$2')
    .toUpperCase()
}

/**
 * The class name a binding most likely belongs to; used only to list what exists in error
 * messages, because acronyms cannot be recovered (`HTTP_CLIENT` gives `HttpClient`).
 *
 * @example
 * classNameFromBinding('CHAT_ROOM') // 'ChatRoom'
 */
export function classNameFromBinding(binding: string): string {
  return binding
    .toLowerCase()
    .split('_')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('')
}

/**
 * Whether `name` can be an object class: PascalCase ASCII letters and digits, the shape
 * `classNameFromFile` produces. `_` and `$` are valid in JavaScript but are refused because they
 * blur the binding name (`My_Room` and `MyRoom` would both be `MY_ROOM`); the leading capital keeps
 * class names apart from reserved words such as `delete`.
 *
 * @example
 * isValidClassName('ChatRoom') // true
 * isValidClassName('2fa') // false
 */
export function isValidClassName(name: string): boolean {
  return /^[A-Z][A-Za-z0-9]*$/.test(name)
}
