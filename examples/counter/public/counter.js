// Talks to the routes in app/api/counters/[name]/; the counter's name comes from the address (#name).
const $ = (id) => document.getElementById(id)
const name = decodeURIComponent(location.hash.slice(1)) || 'home'
const api = `/api/counters/${encodeURIComponent(name)}`
let nextRefresh

$('name').textContent = name
$('increment').addEventListener('click', () => call('POST', api).then(refresh))
$('reset-soon').addEventListener('click', () => call('POST', `${api}/reset?in=10`).then(refresh))
window.addEventListener('hashchange', () => location.reload())

async function call(method, url) {
  const response = await fetch(url, { method })
  const body = await response.json()
  $('error').textContent = response.ok ? '' : body.error
  return body
}

async function refresh() {
  const { value, previous, resetAt } = await call('GET', api)
  $('value').textContent = value
  $('reset').textContent = resetAt ? `Resets to 0 at ${new Date(resetAt).toLocaleString()}` : ''
  $('previous').textContent = previous.length
    ? `Before the last resets: ${previous.map((p) => `${p.total} (${new Date(p.endedAt).toLocaleTimeString()})`).join(', ')}`
    : ''
  // Show the reset when the alarm has run: look again just after it is due, if that is soon.
  clearTimeout(nextRefresh)
  const wait = resetAt - Date.now()
  if (resetAt && wait < 60_000) nextRefresh = setTimeout(refresh, Math.max(wait, 0) + 1000)
}

refresh()
