/** Where the generated configuration reference lives in the repository. */
export const CONFIGURATION_DOC_PATH: string = decodeURIComponent(
  new URL('../../../docs/configuration.md', import.meta.url).pathname,
);
