/** Logs, exports, analytics and retention of OTP requests. */

export { type AnalyticsReport, analyticsReport, buildReport, type Metrics } from './analytics.ts';
export { exportLogs } from './export.ts';
export { identifierCandidates, parseLogFilter } from './query.ts';
export { purgeExpiredLogs, type RetentionJob, startRetentionJob } from './retention.ts';
export { LOG_FIELDS, type LogEntryView, maskIdentifier, viewLogEntry } from './view.ts';
