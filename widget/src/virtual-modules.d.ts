/** The national phone layouts generated at build time (vite.shared.ts `phoneFormats`). */
declare module 'virtual:otpkit-phone-formats' {
  /** `IN:xxxxx xxxxx;US:(xxx) xxx-xxxx;…` */
  const formats: string;
  export default formats;
}

/** The popup build's entry chunks by name, baked into otp-provider.js (vite.config.ts). */
declare const __OTPKIT_ENTRIES__: Readonly<Record<string, string>> | undefined;
