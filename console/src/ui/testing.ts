/** Test helpers for components rendered into the document (happy-dom). */
import { render } from 'preact';
import { afterEach, beforeEach } from 'vitest';

/**
 * A fresh `<div>` in the document for each test of the file, unmounted and
 * removed after it. Call at the top of a test file; the getter returns this test's.
 */
export function testRoot(): () => HTMLElement {
  let root: HTMLElement | null = null;
  beforeEach(() => {
    root = document.createElement('div');
    document.body.append(root);
  });
  afterEach(() => {
    if (!root) return;
    render(null, root);
    root.remove();
    root = null;
  });
  return () => {
    if (!root) throw new TypeError('testRoot: only inside a test');
    return root;
  };
}
