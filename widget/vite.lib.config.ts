import { defineConfig } from 'vite';
import { moduleList, shared } from './vite.shared.ts';

/**
 * The third build: the npm package (`dist/npm/`), an ES module library for
 * bundlers, separate from the script-tag files. Two entries: `index.js`
 * (`initSendOTP` + the client) and `client.js` (the headless client alone,
 * no DOM: React Native, Node). The popup and the captcha stay dynamic
 * imports (their own chunks), with the popup's own small renderer
 * (src/popup/render.ts) bundled in; libphonenumber-js is the package's one
 * dependency, left for the customer's bundler to resolve and dedupe;
 * `@otpkit/protocol` (private to this repository) is bundled in.
 * Not minified: the customer's bundler does that.
 */
export default defineConfig({
  ...shared,
  plugins: [...shared.plugins, moduleList('npm')],
  build: {
    ...shared.build,
    outDir: 'dist/npm',
    emptyOutDir: true,
    minify: false,
    lib: {
      entry: { index: 'src/bundler.ts', client: 'src/headless.ts' },
      formats: ['es'],
      fileName: (_format, name) => `${name}.js`,
    },
    rolldownOptions: {
      external: [/^libphonenumber-js($|\/)/],
      output: { chunkFileNames: 'chunks/[name]-[hash].js' },
    },
  },
});
