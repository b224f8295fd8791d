// @vitest-environment node
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { POPUP_INTERNAL_PROPERTIES } from '../../vite.shared.ts';

const src = join(import.meta.dirname, '..');
const read = (path: string): string => readFileSync(path, 'utf8');
/**
 * The JavaScript a source becomes, without its comments: types are erased
 * (an interface's field names never reach a bundle), so only code that runs
 * is searched.
 */
const code = (path: string): string =>
  ts
    .transpileModule(read(path), {
      compilerOptions: {
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.ESNext,
        removeComments: true,
      },
    })
    .outputText.replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, '');
const sources = (dir: string): string[] =>
  readdirSync(dir)
    .filter((f) => /\.tsx?$/.test(f) && !f.includes('.test.'))
    .map((f) => join(dir, f));

describe('the property names the popup build shortens (vite.shared.ts)', () => {
  it('are used by no code outside the popup: otp-provider.js, the captcha, the protocol', () => {
    const outside = [
      ...sources(src).filter((f) => !f.endsWith('bundler.ts')),
      ...sources(join(src, 'captcha')),
      ...sources(join(src, '../../protocol/src')),
    ];
    for (const file of outside) {
      // A line holding only a string in a list (a language tag such as 'tr') is a value, not a property.
      const text = code(file).replace(/^\s*'[^'\n]*',?$/gm, '');
      for (const name of POPUP_INTERNAL_PROPERTIES) {
        expect(new RegExp(`\\b${name}\\b`).test(text), `${name} in ${file}`).toBe(false);
      }
    }
  });

  it('are no attribute or listener of an element in the popup (JSX props are object keys too)', () => {
    const jsx = sources(join(src, 'popup'))
      .filter((f) => f.endsWith('.tsx'))
      .map(code)
      .join('\n');
    for (const name of POPUP_INTERNAL_PROPERTIES) {
      // An element's opening tag (lower-case name) that sets `name=`.
      expect(jsx, name).not.toMatch(new RegExp(`<[a-z][\\w-]*\\s[^<]*?\\s${name}=`));
    }
  });

  it('are no message parameter, and no string the renderer compares', () => {
    for (const file of sources(join(src, 'i18n'))) {
      for (const name of POPUP_INTERNAL_PROPERTIES) {
        expect(read(file), `${name} in ${file}`).not.toContain(`{${name}}`);
      }
    }
    const renderer = code(join(src, 'popup/render.ts'));
    for (const name of POPUP_INTERNAL_PROPERTIES) {
      expect(renderer, name).not.toMatch(new RegExp(`['"\`]${name}['"\`]`));
    }
  });
});
