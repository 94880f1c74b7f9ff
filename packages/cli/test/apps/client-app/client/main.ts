import { describeCount, type Count } from '../app/shared/count'
import { greet } from './lib/greet'
import './style.css'

const greeting = document.querySelector<HTMLElement>('#greeting')!
const count = document.querySelector<HTMLElement>('#count')!
greeting.textContent = greet('main')

async function show(request: Promise<Response>) {
  count.textContent = describeCount((await (await request).json()) as Count)
}
document.querySelector('#increment')!.addEventListener('click', () => void show(fetch('/api/counter', { method: 'POST' })))
void show(fetch('/api/counter'))
