import { defineConfig } from 'vite';
import {
  entryList,
  moduleList,
  POPUP_INTERNAL_PROPERTIES,
  shared,
  terserPass,
} from './vite.shared.ts';

/**
 * The first build: dist/otp-popup-<hash>.js, an ES module exporting
 * `openPopup`, which otp-provider.js imports from beside itself when a popup
 * is needed, and dist/otp-captcha-<hash>.js (`createCaptcha`: the pow solver
 * and the third-party loaders), imported only when the widget data names a
 * captcha. It splits off the popup's lazy chunks (phone formatting on the
 * first keystroke, the country list, the rest of English, other languages).
 * Every name carries a hash of its content, so the server serves them as
 * immutable; chunks import each other relatively, and the entries' names go
 * to otp-provider.js through `entryList` (built next, vite.config.ts).
 */
export default defineConfig({
  ...shared,
  plugins: [
    ...shared.plugins,
    terserPass({
      module: true,
      properties: POPUP_INTERNAL_PROPERTIES,
      unsafeIn: ['popup'],
    }),
    moduleList('popup'),
    entryList(),
  ],
  build: {
    ...shared.build,
    emptyOutDir: true,
    lib: {
      // Two entries, no shared code between them: the popup and the captcha, each
      // imported by otp-provider.js from beside itself only when needed.
      entry: {
        popup: 'src/popup/index.ts',
        captcha: 'src/captcha/index.ts',
        passkeys: 'src/passkeys/index.ts',
      },
      formats: ['es'],
      fileName: (_format, name) => `otp-${name}-[hash].js`,
    },
    rolldownOptions: {
      // Lets shared code (the renderer, the country list) stay in otp-popup.js, which the lazy
      // chunks import, instead of going to a third chunk on the critical path.
      preserveEntrySignatures: 'allow-extension',
      // Lib mode leaves ES output unminified (to keep annotations); these files are served as
      // is, already minified, so the `/* @__PURE__ */` annotations (one per JSX element, about
      // 450 B gzip of otp-popup.js) are dropped too. Legal comments stay.
      output: {
        chunkFileNames: 'otp-[name]-[hash].js',
        minify: true,
        comments: { legal: true, annotation: false, jsdoc: false },
      },
    },
  },
});
