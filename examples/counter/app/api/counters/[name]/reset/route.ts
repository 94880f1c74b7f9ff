import { durableObjects } from '@cloudwerk/core/bindings'
import { HttpError, json } from '@cloudwerk/core'
import { resetDelayProblem } from '../../../../objects/counter'

type Context = { params: { name: string } }

/** POST /api/counters/:name/reset?in=10 moves the counter's next reset to 10 seconds from now. */
export async function POST(request: Request, { params }: Context) {
  const seconds = Number(new URL(request.url).searchParams.get('in'))
  const problem = resetDelayProblem(seconds)
  if (problem) throw new HttpError(400, `${problem} Give it as ?in=10.`)
  return json({ resetAt: await durableObjects.Counter.getByName(params.name).scheduleReset(seconds) })
}
