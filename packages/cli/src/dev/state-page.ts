import { DEV_PATH_PREFIX } from '../workers/front-wire.js'

/** Where the dev server shows objects' state; the page reads `/data` and posts `/edit` below it. */
export const STATE_PATH = `${DEV_PATH_PREFIX}state`

/** The state view's page (plain browser JavaScript): lists objects, shows and saves state by key. */
export const STATE_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Object state - cloudwerk dev</title>
<style>
  body { font: 14px system-ui, sans-serif; margin: 2rem; }
  section { margin-bottom: 2rem; }
  .object { border: 1px solid #ccc; border-radius: 6px; padding: .5rem 1rem; margin: .5rem 0; }
  .key { display: grid; grid-template-columns: 10rem 1fr auto; gap: .5rem; align-items: start; margin: .3rem 0; }
  textarea { font: 13px ui-monospace, monospace; width: 100%; min-height: 2.2rem; }
  .error { color: #b00020; white-space: pre-wrap; }
</style>
</head>
<body>
<h1>Object state</h1>
<p>Each object's <code>this.state</code>, by key. Saving a key checks the JSON, writes it, and evicts the object so its next call loads the edit. Raw tables: <a href="/cdn-cgi/explorer">Local Explorer</a>.</p>
<div id="objects">Loading...</div>
<script type="module">
const root = document.getElementById('objects')
function el(tag, props = {}, ...children) {
  const element = Object.assign(document.createElement(tag), props)
  element.append(...children)
  return element
}

async function load() {
  const namespaces = await (await fetch('${STATE_PATH}/data')).json()
  root.replaceChildren()
  if (namespaces.error) return root.append(el('p', { className: 'error', textContent: namespaces.error }))
  for (const ns of namespaces) {
    const section = el('section', {}, el('h2', { textContent: ns.className }))
    if (!ns.objects.length) section.append(el('p', { textContent: 'No objects stored yet.' }))
    for (const object of ns.objects) section.append(showObject(ns, object))
    root.append(section)
  }
}

function showObject(ns, object) {
  const box = el('div', { className: 'object' }, el('h3', { textContent: object.name ?? object.id }))
  box.dataset.object = object.name ?? object.id
  if (object.error) {
    box.append(el('p', { className: 'error', textContent: object.error }))
    return box
  }
  const keys = Object.keys(object.state)
  if (!keys.length) box.append(el('p', { textContent: 'Empty state.' }))
  for (const key of keys) {
    const area = el('textarea', { value: JSON.stringify(object.state[key], null, 2) })
    area.dataset.key = key
    const message = el('div', { className: 'error' })
    const save = el('button', { textContent: 'Save', onclick: async () => {
      message.textContent = ''
      const response = await fetch('${STATE_PATH}/edit', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ namespace: ns.namespace, id: object.id, key, json: area.value }) })
      const answer = await response.json()
      if (answer.error) message.textContent = answer.error
      else message.textContent = 'Saved; the object reloads on its next call.'
    } })
    box.append(el('div', { className: 'key' }, el('strong', { textContent: key }), el('div', {}, area, message), save))
  }
  return box
}

load().catch((error) => root.replaceChildren(el('p', { className: 'error', textContent: String(error) })))
</script>
</body>
</html>
`
