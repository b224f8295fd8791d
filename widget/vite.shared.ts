import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { getExampleNumber } from 'libphonenumber-js';
import examples from 'libphonenumber-js/mobile/examples';
import { Features } from 'lightningcss';
import { minify } from 'terser';
import type { Plugin, UserConfig } from 'vite';
import { COUNTRIES } from './src/popup/countries.ts';

/**
 * Escapes every non-ASCII character (Hindi strings, typographic quotes) as
 * `\uXXXX`, so the scripts read the same whatever charset the embedding page
 * or the server declares. Gzipped, the escaped files are no larger.
 */
function asciiOnly(): Plugin {
  return {
    name: 'otpkit-ascii-only',
    // After minification, which would turn escapes back into raw characters.
    generateBundle(_options, bundle) {
      for (const file of Object.values(bundle)) {
        if (file.type !== 'chunk') continue;
        file.code = file.code.replace(
          /[^\0-\x7f]/g,
          (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
        );
      }
    },
  };
}

/**
 * Property names that only the popup build's own code uses, on objects that
 * never leave its chunks (the popup store, its components' props, the
 * renderer's instances, the hooks' slots), so terser may shorten them: about
 * 150 B gzip of otp-popup.js. One shared name cache keeps a name the same in
 * every chunk of the build (otp-CountryPicker.js reads the store too). A name
 * belongs here only if it is none of: a field of the client, the widget data,
 * the captcha or the options otp-provider.js passes (`identifier`,
 * `onSuccess`…), a message parameter (`{country}` is read by name), a string
 * compared at run time (`children`, `key`, `ref`, `style` in render.ts), a
 * DOM property or an export (popup/internal-properties.test.ts checks the
 * first three against the sources). Names a builtin also has (`step`,
 * `reload`, `dom`…) terser keeps whatever the list says, so they aren't listed.
 */
export const POPUP_INTERNAL_PROPERTIES: readonly string[] = [
  // The store (popup/store.ts).
  'tr',
  'contactPoint',
  'phoneText',
  'fieldError',
  'busy',
  'sentTo',
  'codeError',
  'focusCode',
  'blocked',
  'resendAt',
  'setContactPoint',
  'chooseCountry',
  'inputPhone',
  'loadPhoneFormatting',
  'inputEmail',
  'sendNewCode',
  'inputCode',
  'countryName',
  'national',
  'browserLanguages',
  'passkeyUi',
  'pendingVerified',
  // The events of the popup's transitions (popup/transitions.ts).
  'caretAtEnd',
  'remembered',
  // Components' props (`store` itself terser keeps: a builtin has it, `Atomics.store`).
  'onClose',
  'onPick',
  'onCancel',
  // The renderer and the hooks (popup/render.ts, popup/hooks.ts).
  'props',
  'kids',
  'slots',
  'gone',
  'queued',
  'vnode',
  'cleanup',
];

/**
 * A second minification of the script chunks with terser (two compress
 * passes), after Rolldown's own: it finds what one pass leaves (about 110 B
 * gzip of otp-popup.js). `unsafe_arrows` turns `function` expressions that
 * never use `this` or `arguments` into arrows; nothing here calls them with
 * `new`. With `properties`, it also shortens those property names (see
 * {@link POPUP_INTERNAL_PROPERTIES}). The entries in `unsafeIn` (`popup`:
 * about 25 B gzip) get terser's `unsafe` and `unsafe_methods`: `String(x)`
 * becomes `x + ""`, which differs only for a Symbol or an object with its own
 * valueOf, and callbacks become methods; the popup passes no such values and
 * calls no callback with `new`. Not otp-provider.js, which takes whatever a
 * page passes (`sendOtp(identifier)`), nor a library's chunk (otp-phone.js).
 * ASCII output, like {@link asciiOnly}.
 */
export function terserPass({
  module,
  properties,
  unsafeIn = [],
}: {
  module: boolean;
  properties?: readonly string[];
  unsafeIn?: readonly string[];
}): Plugin {
  return {
    name: 'otpkit-terser-pass',
    async generateBundle(_options, bundle) {
      // One cache of property names for the whole build, so every chunk gives a property the
      // same short name (variables are each chunk's own: their cache is dropped after each).
      const nameCache: { vars?: unknown; props?: unknown } = {};
      const regex = properties && new RegExp(`^(?:${properties.join('|')})$`);
      for (const file of Object.values(bundle)) {
        if (file.type !== 'chunk') continue;
        const unsafe = file.isEntry && unsafeIn.includes(file.name);
        const result = await minify(file.code, {
          ecma: 2020,
          module, // ES chunks; the classic script (an IIFE) is not one.
          compress: { passes: 2, unsafe_arrows: true, unsafe, unsafe_methods: unsafe },
          mangle: regex ? { properties: { regex } } : true,
          nameCache,
          format: { ascii_only: true, comments: false },
        });
        if (result.code === undefined)
          throw new Error(`terser returned nothing for ${file.fileName}`);
        file.code = result.code;
        delete nameCache.vars;
      }
    },
  };
}

/**
 * Writes which source modules went into each output file to
 * `node_modules/.cache/otpkit-widget/modules-<build>.json` (outside dist/,
 * so it is neither served nor published). `pnpm size` reads it to prove no
 * server module (better-sqlite3, jose, hono…) reached a browser bundle.
 */
export function moduleList(build: string): Plugin {
  return {
    name: 'otpkit-module-list',
    generateBundle(_options, bundle) {
      const modules: Record<string, string[]> = {};
      for (const file of Object.values(bundle)) {
        if (file.type === 'chunk') modules[file.fileName] = Object.keys(file.modules);
      }
      const dir = join(import.meta.dirname, 'node_modules/.cache/otpkit-widget');
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, `modules-${build}.json`), `${JSON.stringify(modules, null, 2)}\n`);
    },
  };
}

/**
 * JSX of the popup, for the builds and the unit tests: Vite 8 transforms with
 * Oxc, no Babel, into calls of the popup's own renderer (`h` and `Fragment`
 * of src/popup/render.ts, not Preact's). The classic runtime:
 * `h(tag, props, ...children)`, which is all the renderer needs. The sources
 * and the type check keep Preact's JSX types (tsconfig `jsxImportSource`), so
 * no file imports `h` itself. Only .tsx goes through this transform (Rolldown
 * strips the types of .ts itself), so the injected import lands in JSX files only.
 */
export const popupJsx = {
  include: /\.tsx$/,
  jsx: { runtime: 'classic', development: false, pragma: 'jsxH', pragmaFrag: 'JsxFragment' },
  jsxInject: `import { h as jsxH, Fragment as JsxFragment } from ${JSON.stringify(
    join(import.meta.dirname, 'src/popup/render.ts'),
  )}`,
} as const;

/** Where the build's own file names are written (outside dist/: neither served nor published). */
export const BUILD_CACHE = join(import.meta.dirname, 'node_modules/.cache/otpkit-widget');

/**
 * Writes the popup build's entry chunks by name (`{ popup: "otp-popup-3fA9x1Qz.js", … }`,
 * content-hashed file names) to `node_modules/.cache/otpkit-widget/entries.json` and
 * `dist/otp-entries.json`; the
 * script build (vite.config.ts) bakes them into otp-provider.js, which so loads the
 * chunks of its own build. A new lazily loaded entry (`lib.entry`) is listed by itself.
 */
export function entryList(): Plugin {
  return {
    name: 'otpkit-entry-list',
    generateBundle(_options, bundle) {
      const entries: Record<string, string> = {};
      for (const file of Object.values(bundle)) {
        if (file.type === 'chunk' && file.isEntry) entries[file.name] = file.fileName;
      }
      mkdirSync(BUILD_CACHE, { recursive: true });
      writeFileSync(join(BUILD_CACHE, 'entries.json'), `${JSON.stringify(entries, null, 2)}\n`);
      // Beside the chunks too, for the server: a page still holding the previous build's
      // otp-provider.js (stale-while-revalidate) asks for an entry that no longer exists,
      // and is sent to this build's one.
      this.emitFile({
        type: 'asset',
        fileName: 'otp-entries.json',
        source: JSON.stringify(entries),
      });
    },
  };
}

/** The virtual module of {@link phoneFormats}. */
const PHONE_FORMATS_ID = 'virtual:otpkit-phone-formats';

/**
 * The national layout of a mobile number for every country the picker offers,
 * worked out at build time from libphonenumber-js's metadata (its example
 * mobile number, formatted): `x` is a digit, other characters are what the
 * number shows between them, and leading digits are the national prefix
 * (`0xxxx xxxxxx` for the United Kingdom). Where the picker's dial code
 * carries an area code (`+1264` Anguilla), its digits are dropped. A few
 * kilobytes instead of the 138 KB of `AsYouType` with its metadata.
 */
export function phoneLayouts(): Record<string, string> {
  const layouts: Record<string, string> = {};
  for (const { iso2, dialCode } of COUNTRIES) {
    let example: ReturnType<typeof getExampleNumber>;
    try {
      example = getExampleNumber(iso2 as Parameters<typeof getExampleNumber>[0], examples);
    } catch {
      continue; // A country libphonenumber doesn't know: digits as typed.
    }
    if (!example) continue;
    const national = example.formatNational();
    const digits = national.replace(/\D/g, '');
    const nsn = example.nationalNumber;
    const areaCode = dialCode.slice(example.countryCallingCode.length);
    if (!digits.endsWith(nsn) || !nsn.startsWith(areaCode)) continue;
    const prefixLength = digits.length - nsn.length;
    let seen = 0;
    let layout = '';
    for (const char of national) {
      if (!/\d/.test(char)) layout += char;
      else layout += ++seen <= prefixLength ? char : 'x';
    }
    if (areaCode) {
      // `(xxx) xxx-xxxx` without its area code: `xxx-xxxx`.
      let skipped = 0;
      const end = [...layout].findIndex((char) => char === 'x' && ++skipped === areaCode.length);
      layout = layout.slice(end + 1).replace(/^[^x\d]+/, '');
    }
    layouts[iso2] = layout;
  }
  return layouts;
}

/**
 * `virtual:otpkit-phone-formats`: {@link phoneLayouts} as one compact string,
 * `IN:xxxxx xxxxx;US:(xxx) xxx-xxxx;…` (read by src/popup/phone.ts).
 */
export function phoneFormats(): Plugin {
  const resolved = `\0${PHONE_FORMATS_ID}`;
  return {
    name: 'otpkit-phone-formats',
    resolveId: (id) => (id === PHONE_FORMATS_ID ? resolved : undefined),
    load(id) {
      if (id !== resolved) return undefined;
      const text = Object.entries(phoneLayouts())
        .map(([iso2, layout]) => `${iso2}:${layout}`)
        .join(';');
      return `export default ${JSON.stringify(text)};`;
    },
  };
}

/** Settings both builds share: the popup's JSX, production defines, minified ES2020, ASCII only. */
export const shared = {
  oxc: popupJsx,
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  // The popup sets `color-scheme: light dark` but never uses `light-dark()`: no polyfill
  // variables for it (`--lightningcss-light`/`-dark`, about 30 B gzip).
  css: { lightningcss: { exclude: Features.LightDark } },
  publicDir: false,
  plugins: [asciiOnly(), phoneFormats()],
  build: {
    target: 'es2020',
    // The popup uses <dialog> and :focus-visible anyway; no CSS fallbacks for older engines.
    cssTarget: ['chrome111', 'safari16.4', 'firefox115'],
    outDir: 'dist',
    sourcemap: false,
    minify: true,
    cssMinify: true,
  },
} satisfies UserConfig;
