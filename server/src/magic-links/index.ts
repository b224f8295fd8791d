/** Magic links: sent by the OTP service, confirmed on `/verify/:token`, polled by `isOneTapAuthenticated`. */
export { hashLinkToken, linkChannel, newMagicLink, VERIFY_PATH } from './links.ts';
export { magicLinkRoutes } from './routes.ts';
export { confirmLink, linkStatus, openLink } from './service.ts';
