// The slow responder the chat test talks to: a local HTTP service that holds each question until
// the test lets it answer, as a slow model would (a timer would race the rest of the test on a
// busy machine). Plain JavaScript for Node (the app's tsconfig is typed for Workers); its types
// are in slow-responder.d.ts.
import { createServer } from 'node:http'

export async function startSlowResponder() {
  const questions = []
  const held = []
  const server = createServer((request, response) => {
    let body = ''
    request.on('data', (chunk) => (body += chunk))
    request.on('end', () => {
      questions.push(body)
      held.push(() => response.end(`You asked: ${body}`))
    })
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${server.address().port}/`,
    questions,
    answer: () => held.splice(0).forEach((send) => send()),
    // Held answers would keep their connections, and close() waiting, open.
    close: () => new Promise((resolve) => (server.close(resolve), server.closeAllConnections())),
  }
}
