// One room at a time over a WebSocket (GET /api/rooms/:room?username=), the room list over HTTP.
// Frames from the room: hello, said, presence, typing, topic, oops (see app/objects/chat-room.ts).
const $ = (id) => document.getElementById(id)
const joinForm = $('join')
const sayForm = $('say')
let connection = null

joinForm.room.value = decodeURIComponent(location.hash.slice(1))
joinForm.username.value = localStorage.getItem('username') ?? ''

joinForm.addEventListener('submit', (event) => {
  event.preventDefault()
  join(joinForm.room.value.trim(), joinForm.username.value.trim())
})

sayForm.addEventListener('submit', (event) => {
  event.preventDefault()
  const text = sayForm.text.value
  const topic = text.match(/^\/topic\s+(.*)$/s)
  connection?.send(topic ? { type: 'topic', topic: topic[1] } : { type: 'say', text })
  sayForm.text.value = ''
})

// Others see "… is typing" for a few seconds; telling them every 2 s while typing keeps it up.
let typingSentAt = 0
sayForm.text.addEventListener('input', () => {
  if (Date.now() - typingSentAt < 2000) return
  typingSentAt = Date.now()
  connection?.send({ type: 'typing' })
})

$('older').addEventListener('click', async () => {
  if (!connection) return
  const first = $('messages').querySelector('[data-id]')
  const query = first ? `?before=${first.dataset.id}` : ''
  const older = await (await fetch(`/api/rooms/${encodeURIComponent(connection.room)}/messages${query}`)).json()
  $('older').hidden = older.length === 0
  $('messages').prepend(...older.map(messageItem))
})

function join(room, username) {
  connection?.close()
  localStorage.setItem('username', username)
  location.hash = room
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws'
  const socket = new WebSocket(`${scheme}://${location.host}/api/rooms/${encodeURIComponent(room)}?username=${encodeURIComponent(username)}`)
  let greeted = false
  const current = {
    room,
    send: (frame) => socket.readyState === WebSocket.OPEN && socket.send(JSON.stringify(frame)),
    close: () => socket.close(1000, 'switching rooms'),
  }
  connection = current
  socket.addEventListener('message', (event) => {
    const frame = JSON.parse(event.data)
    if (frame.type === 'hello') greeted = true
    handle[frame.type]?.(frame)
  })
  socket.addEventListener('close', () => {
    if (connection !== current) return
    connection = null
    notice(greeted ? 'Disconnected. Join again to reconnect.' : 'Could not join: check the room name and your name.')
  })
}

const handle = {
  hello({ you, topic, online, recent }) {
    notice('')
    $('room').hidden = false
    $('title').textContent = `#${connection.room}`
    $('older').hidden = recent.length === 0
    $('messages').replaceChildren(...recent.map(messageItem))
    showTopic(topic)
    showOnline(online)
    note(`You joined as ${you}.`)
    loadRooms()
  },
  said({ message }) {
    $('messages').append(messageItem(message))
    scrollDown()
    typingStopped(message.user)
  },
  presence({ online, joined, left }) {
    showOnline(online)
    note(joined ? `${joined} joined.` : `${left} left.`)
    loadRooms()
  },
  typing({ username }) {
    typists.set(username, Date.now())
    showTyping()
    setTimeout(showTyping, 3100)
  },
  topic({ topic, by }) {
    showTopic(topic)
    note(`${by} set the topic.`)
  },
  oops({ error }) {
    notice(error)
  },
}

function messageItem({ id, user, text, sentAt }) {
  const item = document.createElement('li')
  item.dataset.id = id
  const time = item.appendChild(document.createElement('time'))
  time.dateTime = new Date(sentAt).toISOString()
  time.textContent = new Date(sentAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
  item.append(`${user}: ${text}`)
  return item
}

function note(text) {
  const item = $('messages').appendChild(document.createElement('li'))
  item.className = 'event'
  item.textContent = text
  scrollDown()
}

const typists = new Map()
function typingStopped(username) {
  typists.delete(username)
  showTyping()
}
function showTyping() {
  for (const [name, at] of typists) if (Date.now() - at > 3000) typists.delete(name)
  const names = [...typists.keys()]
  $('typing').textContent = names.length ? `${names.join(', ')} ${names.length > 1 ? 'are' : 'is'} typing…` : ''
}

function showTopic(topic) {
  $('topic').textContent = topic ? `Topic: ${topic}` : 'No topic yet: send /topic followed by one.'
}

function showOnline(names) {
  $('online').replaceChildren(...names.map((name) => Object.assign(document.createElement('li'), { textContent: name })))
}

async function loadRooms() {
  const rooms = await (await fetch('/api/rooms')).json()
  $('rooms').replaceChildren(
    ...rooms.map(({ room, online }) => {
      const item = document.createElement('li')
      const link = item.appendChild(document.createElement('a'))
      link.href = `#${room}`
      link.textContent = `#${room}`
      link.addEventListener('click', () => {
        joinForm.room.value = room
        if (joinForm.username.value.trim()) join(room, joinForm.username.value.trim())
      })
      item.append(online ? ` (${online})` : '')
      return item
    }),
  )
}

function scrollDown() {
  $('messages').scrollTop = $('messages').scrollHeight
}

function notice(text) {
  $('notice').textContent = text
}

loadRooms()
setInterval(loadRooms, 10_000)
