import { connect } from '@cloudwerk/client'

const id = location.hash.slice(1) || 'lobby'
const room = connect<'Room'>(`/api/rooms/${id}/connect`)
// For the browser tests (and the console).
Object.assign(window, { room })

const $ = (selector: string) => document.querySelector(selector) as HTMLElement

function render(): void {
  $('#status').textContent = room.error ?? room.status
  $('#topic').textContent = room.state.topic || '(no topic)'
  $('#messages').replaceChildren(
    ...(room.state.messages ?? []).map((message) => {
      const item = document.createElement('li')
      item.textContent = `${message.user}: ${message.text}`
      return item
    }),
  )
}
room.subscribe(render)
render()

$('#send').addEventListener('submit', async (event) => {
  event.preventDefault()
  const input = $('#text') as HTMLInputElement
  try {
    await room.call.send(input.value)
    input.value = ''
  } catch (error) {
    $('#status').textContent = (error as Error).message
  }
})
