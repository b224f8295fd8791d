/**
 * `otpkit config check`: validates an environment with the same parser the
 * server starts with, adds the checks that would otherwise only fail at
 * start (database folder writable, a delivery provider in production), and
 * reports the effective configuration with secrets masked.
 */
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import {
  type ConfigProblem,
  checkConfig,
  DELIVERY_PROVIDER_HINT,
  ENV_VARIABLES,
  hasDeliveryProvider,
  PRODUCTION_NOTE,
  runsInProduction,
} from './index.ts';

/** What the check found. */
export interface ConfigReport {
  /** Problems that stop the server from starting. */
  readonly problems: readonly ConfigProblem[];
  /** Things that start but are probably not what you want. */
  readonly warnings: readonly ConfigProblem[];
  /** Every variable's effective value (secrets masked), when there are no problems. */
  readonly effective: readonly { name: string; value: string; source: 'set' | 'default' }[];
  /** Whether the environment selects production (NODE_ENV unset or `production`). */
  readonly production?: boolean;
}

const MASK = '********';

/** A secret's value as it may be printed: a URL keeps all but its password. */
export function maskSecret(value: string): string {
  try {
    const url = new URL(value);
    if (url.password && url.host) {
      url.password = MASK;
      return url.toString();
    }
  } catch {}
  return MASK;
}

/** The nearest existing folder at or above a path. */
function existingAncestor(path: string): string {
  let dir = resolve(path);
  while (!existsSync(dir)) {
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return dir;
}

function writable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Checks an environment as `otpkit serve` would read it.
 *
 * @example checkEnvironment({ NODE_ENV: 'production' }).problems // [{ variable: 'OTPKIT_SECRET', … }]
 */
export function checkEnvironment(env: Record<string, string | undefined>): ConfigReport {
  const check = checkConfig(env);
  const production = runsInProduction(env);
  if (!check.ok) return { problems: check.problems, warnings: [], effective: [], production };
  const { config } = check;
  const problems: ConfigProblem[] = [];
  const warnings: ConfigProblem[] = [];

  const file = config.databaseUrl.slice('sqlite:'.length);
  if (file !== ':memory:') {
    if (existsSync(file)) {
      if (statSync(file).isDirectory()) {
        problems.push({ variable: 'DATABASE_URL', message: `${file} is a folder, not a file` });
      } else if (!writable(file)) {
        problems.push({ variable: 'DATABASE_URL', message: `${file} is not writable` });
      }
    } else {
      const dir = existingAncestor(dirname(file));
      if (!statSync(dir).isDirectory() || !writable(dir)) {
        problems.push({
          variable: 'DATABASE_URL',
          message: `cannot create ${file}: ${dir} is not a writable folder`,
        });
      }
    }
  }
  if (config.env === 'production' && !hasDeliveryProvider(config)) {
    problems.push({
      variable: 'OTPKIT_SMTP_URL',
      message: `no delivery provider is configured and the development outbox is off in production: set ${DELIVERY_PROVIDER_HINT}`,
    });
  }
  if (!existsSync(config.widgetFile)) {
    warnings.push({
      variable: 'OTPKIT_WIDGET_FILE',
      message: `${config.widgetFile} does not exist: run \`pnpm build\` (the widget script will answer 404)`,
    });
  }
  if (!existsSync(join(config.consoleDir, 'index.html'))) {
    warnings.push({
      variable: 'OTPKIT_CONSOLE_DIR',
      message: `${config.consoleDir} has no index.html: run \`pnpm build\` (the console will answer 404)`,
    });
  }
  if (problems.length > 0) return { problems, warnings, effective: [], production };

  const effective = ENV_VARIABLES.map(({ name, schema, meta }) => {
    const raw = env[name];
    if (raw !== undefined && raw !== '') {
      return { name, value: meta.secret ? maskSecret(raw) : raw, source: 'set' as const };
    }
    return { name, value: defaultText(schema, meta.defaultText), source: 'default' as const };
  });
  return { problems, warnings, effective, production };
}

function defaultText(schema: z.ZodType, documented: string | undefined): string {
  if (documented) return documented.replace(/`/g, '');
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as {
    default?: unknown;
  };
  if (json.default !== undefined) return String(json.default);
  const parsed = schema.safeParse(undefined);
  if (parsed.success && parsed.data !== undefined) return JSON.stringify(parsed.data);
  return '(unset)';
}

/** The report as the CLI prints it. */
export function formatReport(report: ConfigReport): string {
  const lines: string[] = [];
  const width = Math.max(0, ...report.effective.map((e) => e.name.length));
  if (report.problems.length > 0) {
    lines.push(
      `Configuration is invalid (${report.problems.length} problem${report.problems.length > 1 ? 's' : ''}):`,
    );
    for (const p of report.problems) lines.push(`  ${p.variable}: ${p.message}`);
    if (report.production) lines.push(PRODUCTION_NOTE);
  } else {
    lines.push('Configuration is valid. Effective values (secrets masked):');
    for (const e of report.effective) {
      lines.push(
        `  ${e.name.padEnd(width)}  ${e.value}${e.source === 'default' && e.value !== '(unset)' ? '  (default)' : ''}`,
      );
    }
  }
  if (report.warnings.length > 0) {
    lines.push('', 'Warnings:');
    for (const w of report.warnings) lines.push(`  ${w.variable}: ${w.message}`);
  }
  return lines.join('\n');
}
