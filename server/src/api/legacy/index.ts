/** SendOTP's legacy API (`/api/sendotp.php`, `/verifyRequestOTP.php`, `/retryotp.php`). */
export { legacyApiMessage, legacyApiRoutes } from './routes.ts';
export { sendByLegacyApi } from './service.ts';
