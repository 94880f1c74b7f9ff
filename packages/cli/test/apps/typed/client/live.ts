// Browser code against the generated client types: calls that must check, and errors that must stay errors.
import { connect } from '@cloudwerk/client'

export async function use(): Promise<void> {
  const room = connect<'Room'>('/api/rooms/lobby/connect')
  await room.ready
  const topic: string = room.state.topic
  const texts: string[] = room.state.messages.map((message) => message.text)
  const pinnedAt: number | undefined = room.state.pinned?.at
  const count: number = await room.call.send('hello')
  await room.call.setTopic('news')
  const status: 'connecting' | 'open' | 'reconnecting' | 'closed' = room.status
  room.subscribe(() => console.log(topic, texts, pinnedAt, count, status))

  // @ts-expect-error a server-only key is not in the browser's state
  room.state.moderatorNotes
  // @ts-expect-error a method not in client.methods cannot be called
  await room.call.addNote('x')
  // @ts-expect-error a misspelt method
  await room.call.sned('hello')
  // @ts-expect-error a wrong argument
  await room.call.send(42)
  // @ts-expect-error an object without client is not connectable
  connect<'Counter'>('/x')
  room.close()
}
