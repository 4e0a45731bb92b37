import { readFileSync } from 'node:fs';

/** The package version, shown by /health, the OpenAPI document and `duet --version`. */
export const DUET_VERSION: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
