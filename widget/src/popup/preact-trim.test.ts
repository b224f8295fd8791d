// @vitest-environment node
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { preactTrim } from '../../vite.shared.ts';

const id = createRequire(import.meta.url)
  .resolve('preact')
  .replace(/preact\.js$/, 'preact.module.js');
const source = readFileSync(id, 'utf8');
type Transform = (code: string, id: string) => { code: string } | undefined;
const transform = preactTrim().transform as unknown as Transform;

describe('preactTrim (the popup build cuts from Preact what the popup never uses)', () => {
  it('cuts every unused feature from the installed Preact and keeps what the hooks use', () => {
    const trimmed = transform(source, id)?.code ?? '';
    for (const gone of [
      'l.defaultProps', // createElement's; cloneElement (unused, tree-shaken) keeps its own
      'F.contextType', // the diff's; createContext (unused, tree-shaken) keeps its own
      'I.sub(p)',
      'getDerivedStateFromProps',
      'componentWillMount',
      'componentWillReceiveProps',
      'componentWillUpdate',
      'getSnapshotBeforeUpdate',
      'p.getChildContext',
      'getDerivedStateFromError',
      'componentDidCatch',
      'Math/MathML',
      'xlink',
    ]) {
      expect(source).toContain(gone);
      expect(trimmed, gone).not.toContain(gone);
    }
    for (const kept of ['componentDidMount', 'componentDidUpdate', 'componentWillUnmount']) {
      expect(trimmed).toContain(kept);
    }
    expect(trimmed.length).toBeLessThan(source.length - 1000);
  });

  it('fails the build when a cut no longer matches (a Preact upgrade changed it)', () => {
    const changed = source.replace('"math"==x?', '"math"===x?');
    expect(() => transform(changed, id)).toThrow(/MathML no longer matches Preact/);
  });

  it('leaves every other module alone', () => {
    expect(transform(source, '/x/preact/hooks/dist/hooks.module.js')).toBeUndefined();
  });
});
