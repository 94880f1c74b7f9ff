// A WebSocket that echoes: held open by workerd, so it shows whether workerd restarted.
export async function GET() {
  const [client, server] = Object.values(new WebSocketPair())
  server.accept()
  server.addEventListener('message', (event) => server.send(`echo ${event.data}`))
  return new Response(null, { status: 101, webSocket: client })
}
