/**
 * `@otpkit/protocol`: the otpkit wire contract as code. No runtime
 * dependencies; shared by the server, the widget and the SDK.
 */
export * from './admin.ts';
export * from './brand.ts';
export * from './captcha.ts';
export * from './channels.ts';
export * from './errors.ts';
export * from './events.ts';
export * from './languages.ts';
export * from './legacy-api.ts';
export * from './providers.ts';
export * from './server-api.ts';
export * from './statuses.ts';
export * from './widget-api.ts';
