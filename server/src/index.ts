/** `@otpkit/server`: start otpkit in process, or build its app for tests. */
export { createApp } from './app.ts';
export type { Services } from './app-types.ts';
export {
  type Config,
  type ConfigCheck,
  ConfigError,
  type ConfigProblem,
  checkConfig,
  loadConfig,
} from './config.ts';
export type { DeliveryProvider, OutgoingMessage } from './delivery/index.ts';
export type { Clock, Logger, Random } from './deps.ts';
export { OtpkitError } from './errors.ts';
export { bootstrap, type RunningServer, type StartOptions, startServer } from './server.ts';
export { createServices } from './services.ts';
export { openStore, type Store } from './store/index.ts';
