import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const DEPLOY = join(ROOT, 'deploy');

export const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

/** Every file under deploy/ (relative to the repository root) whose name ends with one of `endings`. */
export function deployFiles(...endings: string[]): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory() ? walk(join(dir, entry.name)) : [join(dir, entry.name)],
    );
  return walk('deploy')
    .filter((f) => endings.some((e) => f.endsWith(e)))
    .sort();
}

/** All YAML documents of a file; throws with the file name and the parser's message when one does not parse. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function yamlDocuments(path: string): any[] {
  const docs = parseAllDocuments(read(path));
  const list = Array.isArray(docs) ? docs : [docs];
  for (const doc of list) {
    if (doc.errors.length > 0)
      throw new Error(`${path} does not parse: ${doc.errors.map((e) => e.message).join('; ')}`);
  }
  return list.map((doc) => doc.toJS());
}
