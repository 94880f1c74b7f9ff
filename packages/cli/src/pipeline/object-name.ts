// The naming rules are shared with the runtime (the bindings proxy finds CHAT_ROOM from
// durableObjects.ChatRoom), so they live once, in @cloudwerk/core/naming.
import { bindingNameFromClass } from '@cloudwerk/core/naming'

export { bindingNameFromClass, classNameFromFile, isValidClassName } from '@cloudwerk/core/naming'

/** `ChatRoom` -> `chat-room`: where the object file of a class lives. */
export function fileFromClassName(className: string): string {
  return bindingNameFromClass(className).toLowerCase().replace(/_/g, '-')
}
