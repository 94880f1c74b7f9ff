// One room at a time over a WebSocket (GET /api/rooms/:room?username=), the room list over HTTP.
// The frames both ways are typed by app/shared/frames.ts, which the room is checked against too.
import type { ClientFrame, Message, RoomSummary, ServerFrame } from '../app/shared/frames'
import './style.css'

const $ = (id: string) => document.getElementById(id)!
const joinForm = $('join') as HTMLFormElement
const sayForm = $('say') as HTMLFormElement
const field = (form: HTMLFormElement, name: string) => form.elements.namedItem(name) as HTMLInputElement
const [roomField, usernameField, textField] = [field(joinForm, 'room'), field(joinForm, 'username'), field(sayForm, 'text')]

interface Connection {
  room: string
  send(frame: ClientFrame): void
  close(): void
}
let connection: Connection | null = null

roomField.value = decodeURIComponent(location.hash.slice(1))
usernameField.value = localStorage.getItem('username') ?? ''

joinForm.addEventListener('submit', (event) => {
  event.preventDefault()
  join(roomField.value.trim(), usernameField.value.trim())
})

sayForm.addEventListener('submit', (event) => {
  event.preventDefault()
  const text = textField.value
  const topic = text.match(/^\/topic\s+(.*)$/s)
  connection?.send(topic ? { type: 'topic', topic: topic[1] } : { type: 'say', text })
  textField.value = ''
})

// Others see "… is typing" for a few seconds; telling them every 2 s while typing keeps it up.
let typingSentAt = 0
textField.addEventListener('input', () => {
  if (Date.now() - typingSentAt < 2000) return
  typingSentAt = Date.now()
  connection?.send({ type: 'typing' })
})

$('older').addEventListener('click', async () => {
  if (!connection) return
  const first = $('messages').querySelector<HTMLElement>('[data-id]')
  const query = first ? `?before=${first.dataset.id}` : ''
  const older = (await (await fetch(`/api/rooms/${encodeURIComponent(connection.room)}/messages${query}`)).json()) as Message[]
  $('older').hidden = older.length === 0
  $('messages').prepend(...older.map(messageItem))
})

function join(room: string, username: string): void {
  connection?.close()
  localStorage.setItem('username', username)
  location.hash = room
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws'
  const socket = new WebSocket(
    `${scheme}://${location.host}/api/rooms/${encodeURIComponent(room)}?username=${encodeURIComponent(username)}`,
  )
  let greeted = false
  const current: Connection = {
    room,
    send: (frame) => socket.readyState === WebSocket.OPEN && socket.send(JSON.stringify(frame)),
    close: () => socket.close(1000, 'switching rooms'),
  }
  connection = current
  socket.addEventListener('message', (event) => {
    const frame = JSON.parse(event.data as string) as ServerFrame
    if (frame.type === 'hello') greeted = true
    handle(frame)
  })
  socket.addEventListener('close', () => {
    if (connection !== current) return
    connection = null
    notice(greeted ? 'Disconnected. Join again to reconnect.' : 'Could not join: check the room name and your name.')
  })
}

function handle(frame: ServerFrame): void {
  switch (frame.type) {
    case 'hello':
      notice('')
      $('room').hidden = false
      $('title').textContent = `#${connection!.room}`
      $('older').hidden = frame.recent.length === 0
      $('messages').replaceChildren(...frame.recent.map(messageItem))
      showTopic(frame.topic)
      showOnline(frame.online)
      note(`You joined as ${frame.you}.`)
      void loadRooms()
      break
    case 'said':
      $('messages').append(messageItem(frame.message))
      scrollDown()
      typingStopped(frame.message.user)
      break
    case 'presence':
      showOnline(frame.online)
      note(frame.joined ? `${frame.joined} joined.` : `${frame.left} left.`)
      void loadRooms()
      break
    case 'typing':
      typists.set(frame.username, Date.now())
      showTyping()
      setTimeout(showTyping, 3100)
      break
    case 'topic':
      showTopic(frame.topic)
      note(`${frame.by} set the topic.`)
      break
    case 'oops':
      notice(frame.error)
      break
  }
}

function messageItem({ id, user, text, sentAt }: Message): HTMLLIElement {
  const item = document.createElement('li')
  item.dataset.id = String(id)
  const time = item.appendChild(document.createElement('time'))
  time.dateTime = new Date(sentAt).toISOString()
  time.textContent = new Date(sentAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
  item.append(`${user}: ${text}`)
  return item
}

function note(text: string): void {
  const item = $('messages').appendChild(document.createElement('li'))
  item.className = 'event'
  item.textContent = text
  scrollDown()
}

const typists = new Map<string, number>()
function typingStopped(username: string): void {
  typists.delete(username)
  showTyping()
}
function showTyping(): void {
  for (const [name, at] of typists) if (Date.now() - at > 3000) typists.delete(name)
  const names = [...typists.keys()]
  $('typing').textContent = names.length ? `${names.join(', ')} ${names.length > 1 ? 'are' : 'is'} typing…` : ''
}

function showTopic(topic: string): void {
  $('topic').textContent = topic ? `Topic: ${topic}` : 'No topic yet: send /topic followed by one.'
}

function showOnline(names: string[]): void {
  $('online').replaceChildren(...names.map((name) => Object.assign(document.createElement('li'), { textContent: name })))
}

async function loadRooms(): Promise<void> {
  const rooms = (await (await fetch('/api/rooms')).json()) as RoomSummary[]
  $('rooms').replaceChildren(
    ...rooms.map(({ room, online }) => {
      const item = document.createElement('li')
      const link = item.appendChild(document.createElement('a'))
      link.href = `#${room}`
      link.textContent = `#${room}`
      link.addEventListener('click', () => {
        roomField.value = room
        if (usernameField.value.trim()) join(room, usernameField.value.trim())
      })
      item.append(online ? ` (${online})` : '')
      return item
    }),
  )
}

function scrollDown(): void {
  $('messages').scrollTop = $('messages').scrollHeight
}

function notice(text: string): void {
  $('notice').textContent = text
}

void loadRooms()
setInterval(loadRooms, 10_000)
