/** `@otpkit/server`: start otpkit in process, or build its app for tests. */
export { createApp } from './api/app.ts';
export type { Services } from './api/app-types.ts';
export { createServices } from './compose.ts';
export type { DeliveryProvider, OutgoingMessage } from './core/delivery/index.ts';
export {
  type Config,
  type ConfigCheck,
  ConfigError,
  type ConfigProblem,
  checkConfig,
  loadConfig,
} from './platform/config/index.ts';
export { OtpkitError } from './platform/errors.ts';
export type { Clock, Logger, Random } from './platform/runtime.ts';
export { bootstrap, type RunningServer, type StartOptions, startServer } from './server.ts';
export { openStore, type Store } from './store/index.ts';
