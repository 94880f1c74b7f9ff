// The editor. The server applies edits one at a time and refuses an edit made on an old version
// ("stale"), so this page only has to keep three things straight:
//   shared:   the text at `version`, as the server has it
//   inflight: the edit sent and not answered yet (at most one)
//   the textarea: shared text plus everything typed since
// An edit from someone else is applied to `shared` and, moved past our own changes, to the
// textarea. Our in-flight edit will then be refused as stale, and is sent again on the new version.
// The frames are typed by app/shared/doc.ts, which the document is checked against too.
import type { ClientFrame, Edit, HistoryEntry, ServerFrame } from '../app/shared/doc'

const $ = (id: string) => document.getElementById(id)!
const docId = decodeURIComponent(location.hash.slice(1)) || 'welcome'
const api = `/api/docs/${encodeURIComponent(docId)}`
const text = $('text') as HTMLTextAreaElement
const author = $('author') as HTMLInputElement
let socket: WebSocket | null = null
let shared = ''
let version = 0
let inflight: Edit | null = null

$('doc-id').textContent = docId
author.value = localStorage.getItem('author') ?? `guest-${Math.floor(Math.random() * 9000 + 1000)}`
author.addEventListener('change', connect)
$('load-history').addEventListener('click', showHistory)
text.addEventListener('input', sendChanges)
window.addEventListener('hashchange', () => location.reload())

function connect(): void {
  localStorage.setItem('author', author.value.trim())
  socket?.close()
  // Until the new connection's snapshot arrives, typing would be overwritten by it.
  text.disabled = true
  showStatus('connecting…')
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws'
  const ws = new WebSocket(`${scheme}://${location.host}${api}?author=${encodeURIComponent(author.value.trim())}`)
  socket = ws
  ws.addEventListener('message', (event) => receive(JSON.parse(event.data as string) as ServerFrame))
  ws.addEventListener('close', () => {
    if (socket !== ws) return
    text.disabled = true
    showStatus('disconnected: reload the page to reconnect')
  })
}

function receive(frame: ServerFrame): void {
  switch (frame.type) {
    case 'snapshot':
      shared = text.value = frame.content
      version = frame.version
      inflight = null
      text.disabled = false
      break
    case 'ack':
      shared = splice(shared, inflight!)
      version = frame.version
      inflight = null
      break
    case 'rejected':
      inflight = null
      // Stale: the edits we missed came just before this answer; sendChanges() retries on top of them.
      // Invalid (too long, for one): sending it again would fail again, so it is undone.
      if (frame.reason !== 'stale') {
        text.value = shared
        return showStatus(`Your change was refused: ${frame.error}`)
      }
      break
    case 'edit':
      applyRemote(frame)
      break
  }
  showStatus(`version ${version}`)
  sendChanges()
}

/** Sends what the textarea has that the server has not, unless an edit is already on its way. */
function sendChanges(): void {
  if (inflight || socket?.readyState !== WebSocket.OPEN) return
  inflight = diff(shared, text.value)
  if (inflight) socket.send(JSON.stringify({ type: 'edit', base: version, ...inflight } satisfies ClientFrame))
}

function applyRemote(edit: HistoryEntry): void {
  const ours = diff(shared, text.value)
  shared = splice(shared, edit)
  version = edit.version
  if (!ours) {
    keepSelection(edit, () => (text.value = shared))
    return
  }
  // Positions in `shared` moved past our own change, to land at the same place in the textarea.
  const start = moveThrough(ours, edit.position)
  const end = Math.max(start, moveThrough(ours, edit.position + edit.removed))
  const moved = { position: start, removed: end - start, inserted: edit.inserted }
  keepSelection(moved, () => (text.value = splice(text.value, moved)))
}

function moveThrough(change: Edit, position: number): number {
  if (position <= change.position) return position
  if (position >= change.position + change.removed) return position - change.removed + change.inserted.length
  return change.position + change.inserted.length
}

/** Replaces the text with `update()` and keeps the caret where it was relative to the words around it. */
function keepSelection(edit: Edit, update: () => void): void {
  const [start, end] = [text.selectionStart, text.selectionEnd].map((at) => moveThrough(edit, at))
  update()
  text.setSelectionRange(start, end)
}

/** The one change that turns `before` into `after`: what lies between their common start and end. */
function diff(before: string, after: string): Edit | null {
  if (before === after) return null
  let start = 0
  while (start < before.length && start < after.length && before[start] === after[start]) start++
  let end = 0
  while (end < before.length - start && end < after.length - start && before[before.length - 1 - end] === after[after.length - 1 - end])
    end++
  return { position: start, removed: before.length - start - end, inserted: after.slice(start, after.length - end) }
}

function splice(value: string, { position, removed, inserted }: Edit): string {
  return value.slice(0, position) + inserted + value.slice(position + removed)
}

async function showHistory(): Promise<void> {
  const entries = (await (await fetch(`${api}/history?limit=20`)).json()) as HistoryEntry[]
  $('history').replaceChildren(
    ...entries.map((entry) => {
      const item = document.createElement('li')
      item.value = entry.version
      const button = item.appendChild(document.createElement('button'))
      const what = [entry.removed && `removed ${entry.removed}`, entry.inserted && `inserted “${entry.inserted}”`]
        .filter(Boolean)
        .join(', ')
      button.textContent = `${entry.author}, ${new Date(entry.editedAt).toLocaleTimeString()}: ${what}`
      button.addEventListener('click', () => showVersion(entry.version))
      return item
    }),
  )
}

async function showVersion(at: number): Promise<void> {
  const { content } = (await (await fetch(`${api}?version=${at}`)).json()) as { content: string }
  $('old-version').hidden = false
  $('old-version').textContent = `Version ${at}:\n${content}`
}

function showStatus(message: string): void {
  $('status').textContent = message
}

connect()
