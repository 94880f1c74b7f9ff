import { joinPath } from './json-data.js'

// A top-level value that is not an array and has outgrown one row (a nested object that kept
// growing) is stored as its JSON cut into consecutive chunks, one row each (cloudwerk_chunks).
// Chunks rather than rows per nested key: they hold any shape at any depth (an object of objects
// of arrays, a map that grows one level down), keep the keys' order and the exact JSON, and are
// read back by joining them. A commit writes only the chunks whose text changed, so a value that
// grows at its end rewrites its last chunk. What they do not do is make a change cost less than
// the value's JSON: a value that large is stringified whole on each turn that changes it, as a
// one-row value always was (a long list belongs in an array, stored one row per item).

/**
 * Characters per chunk: a UTF-16 unit is at most 3 UTF-8 bytes, so a chunk of this many fits in
 * a row beside its key and part number whatever the text.
 */
export function chunkLength(maxRowBytes: number, key: string): number {
  return Math.floor((maxRowBytes - 64) / 3) - key.length
}

/** `json` cut into chunks of at most `length` characters, never between a surrogate pair. */
export function splitChunks(json: string, length: number): string[] {
  const chunks: string[] = []
  for (let start = 0; start < json.length;) {
    let end = Math.min(start + length, json.length)
    // A lone surrogate would not survive the text column's UTF-8 (it becomes U+FFFD).
    if (end < json.length && isHighSurrogate(json.charCodeAt(end - 1))) end--
    chunks.push(json.slice(start, end))
    start = end
  }
  return chunks
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff
}

/**
 * The path and JSON of the first string (value or key) in `value` whose JSON is over `maxBytes`,
 * if any. Chunks could store it, but a string over a row's size is bulk data that belongs in a
 * ctx.sql table or R2, and refusing it keeps every leaf of the state storable in a row whatever
 * layout holds the value around it.
 */
export function findOversizedLeaf(value: unknown, path: string, maxBytes: number): { path: string; json: string } | undefined {
  if (typeof value === 'string') {
    // A character is at most 6 bytes of JSON (an escape): most strings need no closer look.
    if (value.length * 6 + 2 <= maxBytes) return undefined
    const json = JSON.stringify(value)
    return encoder.encode(json).byteLength <= maxBytes ? undefined : { path, json }
  }
  if (typeof value !== 'object' || value === null) return undefined
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      const found = findOversizedLeaf(value[index], `${path}[${index}]`, maxBytes)
      if (found) return found
    }
    return undefined
  }
  for (const key of Object.keys(value)) {
    const found =
      findOversizedLeaf(key, path, maxBytes) ?? findOversizedLeaf((value as Record<string, unknown>)[key], joinPath(path, key), maxBytes)
    if (found) return found
  }
  return undefined
}

const encoder = new TextEncoder()
