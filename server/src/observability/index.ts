/** Health checks, Prometheus metrics and structured logs. */
export { checkReadiness, type Readiness, workerStaleAfterMs } from './health.ts';
export { observabilityRoutes, observeRequests, routeOf } from './http.ts';
export {
  createLogger,
  LOG_LEVELS,
  type LogLevel,
  maskIdentifier,
  redactValue,
  type ServerLogger,
  scrubText,
} from './logger.ts';
export { createMetrics, type Metrics, type RateLimitScope, type SendOutcome } from './metrics.ts';
