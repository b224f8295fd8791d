/** The otpkit version the server reports (`/api/v1/meta`, `/openapi.json`). */
export const OTPKIT_VERSION = '0.1.0';
