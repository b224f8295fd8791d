import { defineConfig } from 'vite';
import { moduleList, shared, terserPass } from './vite.shared.ts';

/**
 * The first of the two builds (`pnpm build` runs both): dist/otp-provider.js,
 * the classic script customers include. A minified IIFE holding the headless
 * core only; its entry exports nothing, so the only globals are the ones it
 * assigns (`initSendOTP`, and the exposed methods when asked). The popup
 * (vite.popup.config.ts) is imported at run time by URL, never bundled here.
 */
export default defineConfig({
  ...shared,
  plugins: [...shared.plugins, terserPass({ module: false }), moduleList('script')],
  build: {
    ...shared.build,
    emptyOutDir: true,
    lib: {
      entry: 'src/index.ts',
      formats: ['iife'],
      name: 'otpkit',
      fileName: () => 'otp-provider.js',
    },
  },
});
