// The JSON of the items of top-level arrays, as last written or read, so a commit serializes only
// the items a turn changed: a window over 1,000 messages stringifies the one that came in, not
// the 999 that stayed. Kept valid by forgetting an item whenever a change is recorded inside it
// (TrackedState's markDirty); items are only ever changed through the state proxies.
// Shared by every object in the isolate: an item belongs to one object's state only.
const jsonOfItems = new WeakMap<object, string>()

/** The JSON of `item` as it is now, if known. */
export function knownJson(item: object): string | undefined {
  return jsonOfItems.get(item)
}

export function rememberJson(item: object, json: string): void {
  jsonOfItems.set(item, json)
}

/** `item` changed: its JSON must be made again. */
export function forgetJson(item: object): void {
  jsonOfItems.delete(item)
}
