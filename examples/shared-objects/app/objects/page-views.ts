import { pageViews } from '../../lib/page-views'

export default pageViews
