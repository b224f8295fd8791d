import { defineConfig } from 'vite';
import { moduleList, POPUP_INTERNAL_PROPERTIES, shared, terserPass } from './vite.shared.ts';

/**
 * The second build: dist/otp-popup.js, an ES module exporting `openPopup`,
 * which otp-provider.js imports from beside itself when a popup is needed,
 * and dist/otp-captcha.js (`createCaptcha`: the pow solver and the
 * third-party loaders), imported only when the widget data names a captcha.
 * It splits off dist/otp-phone.js (libphonenumber-js AsYouType with its
 * metadata), imported when the phone field first shows. Names are stable
 * and chunks import each other relatively, so the server just serves every
 * file of dist/ at `/<name>`.
 */
export default defineConfig({
  ...shared,
  plugins: [
    ...shared.plugins,
    terserPass({
      module: true,
      properties: POPUP_INTERNAL_PROPERTIES,
      unsafeIn: ['otp-popup.js'],
    }),
    moduleList('popup'),
  ],
  build: {
    ...shared.build,
    emptyOutDir: false, // otp-provider.js is already there.
    lib: {
      // Two entries, no shared code between them: the popup and the captcha, each
      // imported by otp-provider.js from beside itself only when needed.
      entry: {
        popup: 'src/popup/index.ts',
        captcha: 'src/captcha/index.ts',
        passkeys: 'src/passkeys/index.ts',
      },
      formats: ['es'],
      fileName: (_format, name) => `otp-${name}.js`,
    },
    rolldownOptions: {
      // Lets shared code (the renderer, the country list) stay in otp-popup.js, which the lazy
      // chunks import, instead of going to a third chunk on the critical path.
      preserveEntrySignatures: 'allow-extension',
      // Lib mode leaves ES output unminified (to keep annotations); these files are served as
      // is, already minified, so the `/* @__PURE__ */` annotations (one per JSX element, about
      // 450 B gzip of otp-popup.js) are dropped too. Legal comments stay.
      output: {
        chunkFileNames: 'otp-[name].js',
        minify: true,
        comments: { legal: true, annotation: false, jsdoc: false },
      },
    },
  },
});
