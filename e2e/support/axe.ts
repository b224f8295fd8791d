/**
 * axe-core scans in the page: readable violations of the whole document or
 * of one element (axe walks into open shadow roots, e.g. the popup's host).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from '@playwright/test';

const require = createRequire(import.meta.url);
/** axe-core's source, evaluated in the page (not a `<script>` tag: the console's CSP forbids inline scripts). */
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: unknown; failureSummary?: string }>;
}

/**
 * Runs axe on the element with id `elementId` (default: the whole document)
 * and returns one readable string per violation: `[]` when there are none.
 */
export async function axeViolations(page: Page, elementId?: string): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  const violations = await page.evaluate(async (id) => {
    const axe = (
      window as unknown as {
        axe: {
          run(
            context: Element | Document,
            options: object,
          ): Promise<{ violations: AxeViolation[] }>;
        };
      }
    ).axe;
    const context = id ? document.getElementById(id) : document;
    if (!context) throw new Error(`no element #${id}`);
    const result = await axe.run(context, { resultTypes: ['violations'] });
    return result.violations;
  }, elementId);
  return violations.map(
    (v) =>
      `${v.id} (${v.impact}): ${v.help}\n${v.nodes
        .map((n) => `    ${JSON.stringify(n.target)}: ${n.failureSummary ?? ''}`)
        .join('\n')}`,
  );
}
