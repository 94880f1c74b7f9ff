import { useState, useSyncExternalStore } from 'react'
import { createRoot } from 'react-dom/client'
import { connect } from '@cloudwerk/client'

const id = location.hash.slice(1) || 'lobby'
const room = connect<'Room'>(`/api/rooms/${id}/connect`)
// For the browser tests (and the console).
Object.assign(window, { room })

// room.state is a new object after every change, so React re-renders exactly then.
const useRoom = () => useSyncExternalStore(room.subscribe, () => room.state)
const useStatus = () => useSyncExternalStore(room.subscribe, () => room.status)

function Room() {
  const state = useRoom()
  const status = useStatus()
  const [text, setText] = useState('')
  return (
    <main>
      <p>
        Status: <span id="status">{status}</span>
      </p>
      <h1 id="topic">{state.topic || '(no topic)'}</h1>
      <ul id="messages">
        {(state.messages ?? []).map((message) => (
          <li key={`${message.at}-${message.user}`}>
            {message.user}: {message.text}
          </li>
        ))}
      </ul>
      <form
        id="send"
        onSubmit={async (event) => {
          event.preventDefault()
          await room.call.send(text)
          setText('')
        }}
      >
        <input id="text" value={text} onChange={(event) => setText(event.target.value)} />
        <button>Send</button>
      </form>
    </main>
  )
}

createRoot(document.getElementById('root')!).render(<Room />)
