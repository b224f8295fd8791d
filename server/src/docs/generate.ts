/** `pnpm docs:config`: writes docs/configuration.md from the schemas. */
import { writeFileSync } from 'node:fs';
import { configurationMarkdown } from './markdown.ts';
import { CONFIGURATION_DOC_PATH } from './paths.ts';

writeFileSync(CONFIGURATION_DOC_PATH, configurationMarkdown());
console.log(`Wrote ${CONFIGURATION_DOC_PATH}`);
