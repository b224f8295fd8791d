/**
 * Magic links: sent by the OTP service, confirmed on `/verify/:token`
 * (the pages' routes are in `pages/magic-link.ts`), polled by
 * `isOneTapAuthenticated`.
 */
export { hashLinkToken, linkChannel, newMagicLink, VERIFY_PATH } from './links.ts';
export { confirmLink, linkStatus, openLink } from './service.ts';
