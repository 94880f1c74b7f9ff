import { render } from 'hono/jsx/dom'
import { greet } from './lib/greet'

function Admin(props: { name: string }) {
  return <h1 id="admin">{greet(props.name)}</h1>
}

render(<Admin name="admin" />, document.body)
