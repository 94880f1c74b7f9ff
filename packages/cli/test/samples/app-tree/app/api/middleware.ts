export default (req, next) => next()
