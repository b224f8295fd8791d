import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Features } from 'lightningcss';
import { minify } from 'terser';
import type { Plugin, UserConfig } from 'vite';

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
 * A second minification of the script chunks with terser (two compress
 * passes), after Rolldown's own: it finds what one pass leaves (about 110 B
 * gzip of otp-popup.js). `unsafe_arrows` turns `function` expressions that
 * never use `this` or `arguments` into arrows; nothing here calls them with
 * `new`. ASCII output, like {@link asciiOnly}.
 */
export function terserPass({ module }: { module: boolean }): Plugin {
  return {
    name: 'otpkit-terser-pass',
    async generateBundle(_options, bundle) {
      for (const file of Object.values(bundle)) {
        if (file.type !== 'chunk') continue;
        const result = await minify(file.code, {
          ecma: 2020,
          module, // ES chunks; the classic script (an IIFE) is not one.
          compress: { passes: 2, unsafe_arrows: true },
          mangle: true,
          format: { ascii_only: true, comments: false },
        });
        if (result.code === undefined)
          throw new Error(`terser returned nothing for ${file.fileName}`);
        file.code = result.code;
      }
    },
  };
}

/**
 * Cuts from Preact's ES build (preact/dist/preact.module.js) what the popup
 * never uses, for otp-popup.js only. Every component of the popup is a class
 * from `withHooks` (popup/hooks.ts) that defines componentDidMount,
 * componentDidUpdate and componentWillUnmount and nothing else: no error
 * boundaries, no context, no defaultProps, no legacy lifecycle methods, no
 * MathML, no `className`/`xlink` on SVG. Each cut is an exact piece of that
 * file; when one is missing (a Preact upgrade changed it), the build fails
 * instead of shipping a half-trimmed Preact, so re-check the cuts against
 * the new version. The unit tests run the untouched Preact; the e2e tests
 * run this build.
 */
const PREACT_CUTS: readonly { why: string; from: string; to: string }[] = [
  {
    why: 'defaultProps (no component has any)',
    from: ',"function"==typeof l&&null!=l.defaultProps)for(o in l.defaultProps)void 0===e[o]&&(e[o]=l.defaultProps[o]);return',
    to: ');return',
  },
  {
    why: 'contextType (no context)',
    from: 'I=(s=F.contextType)&&i[s.__c],P=s?I?I.props.value:s.__:i,',
    to: 'P=i,',
  },
  { why: 'context subscription (no context)', from: 'I&&I.sub(p),', to: '' },
  {
    why: 'getDerivedStateFromProps',
    from: 'M&&null!=F.getDerivedStateFromProps&&(p.__s==p.state&&(p.__s=m({},p.__s)),m(p.__s,F.getDerivedStateFromProps(x,p.__s))),',
    to: '',
  },
  {
    why: 'componentWillMount',
    from: 'M&&null==F.getDerivedStateFromProps&&null!=p.componentWillMount&&p.componentWillMount(),',
    to: '',
  },
  {
    why: 'componentWillReceiveProps and shouldComponentUpdate',
    from: 'if(M&&null==F.getDerivedStateFromProps&&x!==y&&null!=p.componentWillReceiveProps&&p.componentWillReceiveProps(x,P),u.__v==t.__v||!p.__e&&null!=p.shouldComponentUpdate&&!1===p.shouldComponentUpdate(x,p.__s,P))',
    to: 'if(u.__v==t.__v)',
  },
  {
    why: 'componentWillUpdate',
    from: 'null!=p.componentWillUpdate&&p.componentWillUpdate(x,p.__s,P),',
    to: '',
  },
  {
    why: 'getChildContext and getSnapshotBeforeUpdate',
    from: 'null!=p.getChildContext&&(i=m(m({},i),p.getChildContext())),M&&!v&&null!=p.getSnapshotBeforeUpdate&&(_=p.getSnapshotBeforeUpdate(y,d)),',
    to: '',
  },
  {
    why: 'MathML',
    from: '"math"==x?o="http://www.w3.org/1998/Math/MathML":',
    to: '',
  },
  {
    why: 'xlink:href and className on SVG',
    from: 'if("http://www.w3.org/2000/svg"==i)l=l.replace(/xlink(H|:h)/,"h").replace(/sName$/,"s");else if("width"!=l',
    to: 'if("http://www.w3.org/2000/svg"!=i&&"width"!=l',
  },
  {
    why: 'error boundaries (getDerivedStateFromError, componentDidCatch): an error is thrown on',
    from: 'l={__e:function(n,l,u,t){for(var i,r,o;l=l.__;)if((i=l.__c)&&!i.__)try{if((r=i.constructor)&&null!=r.getDerivedStateFromError&&(i.setState(r.getDerivedStateFromError(n)),o=i.__d),null!=i.componentDidCatch&&(i.componentDidCatch(n,t||{}),o=i.__d),o)return i.__E=i}catch(l){n=l}throw n}}',
    to: 'l={__e:function(n){throw n}}',
  },
];

export function preactTrim(): Plugin {
  return {
    name: 'otpkit-preact-trim',
    transform(code, id) {
      if (!/[\\/]preact[\\/]dist[\\/]preact\.module\.js$/.test(id)) return undefined;
      let trimmed = code;
      for (const { why, from, to } of PREACT_CUTS) {
        if (!trimmed.includes(from)) {
          throw new Error(`preactTrim: the cut for ${why} no longer matches Preact; re-check them`);
        }
        trimmed = trimmed.replace(from, () => to);
      }
      return { code: trimmed, map: null };
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

/** Settings both builds share: Preact JSX, production defines, minified ES2020, ASCII only. */
export const shared = {
  // Vite 8 transforms with Oxc, no Babel. The bundles use the classic JSX runtime:
  // `h(tag, props, ...children)` is shorter than the automatic runtime's
  // `jsx(tag, { ...props, children: [...] })` and needs no preact/jsx-runtime module (about
  // 180 B gzip of otp-popup.js). The sources, the type check and the unit tests keep the
  // automatic runtime (tsconfig `jsxImportSource`), so no file imports `h` itself; the two
  // make the same Preact vnodes. Only .tsx goes through this transform (Rolldown strips the
  // types of .ts itself), so the injected import lands in JSX files only.
  oxc: {
    include: /\.tsx$/,
    jsx: { runtime: 'classic', pragma: 'jsxH', pragmaFrag: 'JsxFragment' },
    jsxInject: "import { h as jsxH, Fragment as JsxFragment } from 'preact'",
  },
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  // The popup sets `color-scheme: light dark` but never uses `light-dark()`: no polyfill
  // variables for it (`--lightningcss-light`/`-dark`, about 30 B gzip).
  css: { lightningcss: { exclude: Features.LightDark } },
  publicDir: false,
  plugins: [asciiOnly()],
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
