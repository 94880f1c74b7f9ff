// The browser side of the chat: one WebSocket to GET /api/rooms/:room, JSON frames both ways,
// typed by app/shared/chat.ts (the room is checked against the same types).
import type { ChatMessage, ClientFrame, Member, ServerFrame } from '../app/shared/chat'
import './style.css'

function $<T extends HTMLElement = HTMLElement>(id: string): T {
  return document.getElementById(id) as T
}
const roomInput = $<HTMLInputElement>('room')
const usernameInput = $<HTMLInputElement>('username')
const textInput = $<HTMLInputElement>('text')
let socket: WebSocket | null = null
let welcomed = false

roomInput.value = decodeURIComponent(location.hash.slice(1))

$('join').addEventListener('submit', (event) => {
  event.preventDefault()
  socket?.close()
  const room = roomInput.value.trim()
  location.hash = room
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws'
  const username = encodeURIComponent(usernameInput.value.trim())
  const ws = new WebSocket(`${scheme}://${location.host}/api/rooms/${encodeURIComponent(room)}?username=${username}`)
  socket = ws
  welcomed = false
  ws.addEventListener('message', (event) => receive(JSON.parse(event.data as string) as ServerFrame))
  ws.addEventListener('close', () => {
    // A socket replaced by a newer join is not news.
    if (socket !== ws) return
    showStatus(welcomed ? 'Disconnected. Join again to reconnect.' : 'Could not join: check the room name and your name.')
  })
})

$('send').addEventListener('submit', (event) => {
  event.preventDefault()
  if (socket?.readyState !== WebSocket.OPEN) return showStatus('Not connected: join a room first.')
  socket.send(JSON.stringify({ type: 'message', text: textInput.value } satisfies ClientFrame))
  textInput.value = ''
})

function receive(frame: ServerFrame): void {
  switch (frame.type) {
    case 'welcome':
      welcomed = true
      showStatus('')
      $('chat').hidden = false
      $('messages').replaceChildren()
      frame.messages.forEach(addMessage)
      showOnline(frame.online)
      break
    case 'joined':
    case 'left':
      addNote(`${frame.username} ${frame.type}`)
      showOnline(frame.online)
      break
    case 'message':
      addMessage(frame.message)
      break
    case 'error':
      showStatus(frame.error)
      break
  }
}

function addMessage({ user, text, sentAt }: ChatMessage): void {
  const time = new Date(sentAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
  addLine(`${time} ${user}: ${text}`)
}

function addNote(text: string): void {
  addLine(text).className = 'note'
}

function addLine(text: string): HTMLLIElement {
  const list = $('messages')
  const item = list.appendChild(document.createElement('li'))
  item.textContent = text
  list.scrollTop = list.scrollHeight
  return item
}

function showOnline(members: Member[]): void {
  $('online').replaceChildren(
    ...members.map(({ username, joinedAt }) => {
      const item = document.createElement('li')
      item.textContent = username
      item.title = `here since ${new Date(joinedAt).toLocaleTimeString()}`
      return item
    }),
  )
}

function showStatus(text: string): void {
  $('status').textContent = text
}
