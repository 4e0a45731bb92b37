// Builds the web app into web/dist when it is missing or older than its sources; `npm start` runs this first,
// so a fresh clone serves the UI after `npm ci && npm start`. `--force` always builds.
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const stamp = join(root, 'web/dist/.built-at');
// The web app imports the pure model and graph code (roles, execution commands and API shapes included), so those count as its sources too.
const sources = ['web/src', 'web/index.html', 'web/vite.config.ts', 'src/model', 'src/graph', 'package-lock.json'];

function newestChange(path) {
  const full = join(root, path);
  if (!existsSync(full)) return 0;
  const stat = statSync(full);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(full).map((name) => newestChange(join(path, name))));
}

const force = process.argv.includes('--force');
const builtAt = existsSync(stamp) ? statSync(stamp).mtimeMs : 0;
if (!force && builtAt > Math.max(...sources.map(newestChange))) process.exit(0);

console.log('Building the web app (web/dist)…');
const { build } = await import('vite');
await build({ configFile: join(root, 'web/vite.config.ts'), logLevel: 'warn' });
writeFileSync(stamp, new Date().toISOString());
console.log('Web app built.');
