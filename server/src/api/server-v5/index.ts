/** The server API v5 (`/api/v5/otp`): SendOTP's server-to-server OTP API. */
export {
  readAuthkeyCall,
  serverApiMessage,
  serverApiRoutes,
} from './routes.ts';
export {
  DEFAULT_EXPIRY_MINUTES,
  DEFAULT_OTP_LENGTH,
  MAX_EXPIRY_MINUTES,
  retryByServerApi,
  sendByServerApi,
  serverApiWidget,
  serverApiWidgetKey,
  verifyByServerApi,
} from './service.ts';
