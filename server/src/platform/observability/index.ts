/**
 * Prometheus metrics and structured logs. Their HTTP side (the request
 * metrics and access log, `/metrics`, `/healthz`, `/readyz`) is in
 * `http/observability.ts` and `http/health.ts`.
 */
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
