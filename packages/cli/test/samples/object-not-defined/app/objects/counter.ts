export default { methods: {} }
