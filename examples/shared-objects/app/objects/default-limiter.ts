// The package's own definition, as it is (10 requests a minute).
export { default } from '@acme/rate-limiter'
