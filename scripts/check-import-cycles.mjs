// Fails when the relative imports of src/ form a cycle (type-only imports count too: a cycle of types is still a
// knot a reader has to untie). Run by `npm run lint`; prints each cycle as a chain of files.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(process.argv[2] ?? 'src');
const IMPORT = /(?:^|\n)\s*(?:import|export)\b[^'"]*?\bfrom\s+['"](\.{1,2}\/[^'"]+)['"]/g;

function sourceFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

const files = sourceFiles(root);
const known = new Set(files);
const imports = new Map(
  files.map((file) => [
    file,
    [...readFileSync(file, 'utf8').matchAll(IMPORT)]
      .map((match) => resolve(dirname(file), match[1]))
      .filter((target) => known.has(target)),
  ]),
);

// Depth-first search; a file met again while still on the path closes a cycle.
const cycles = [];
const done = new Set();
const path = [];
const onPath = new Set();
function visit(file) {
  if (onPath.has(file)) return void cycles.push([...path.slice(path.indexOf(file)), file]);
  if (done.has(file)) return;
  path.push(file);
  onPath.add(file);
  for (const target of imports.get(file)) visit(target);
  onPath.delete(file);
  path.pop();
  done.add(file);
}
for (const file of files) visit(file);

for (const cycle of cycles) console.error(`import cycle: ${cycle.map((f) => relative(process.cwd(), f)).join(' -> ')}`);
if (cycles.length > 0) process.exit(1);
console.log(`no import cycles among ${files.length} files under ${relative(process.cwd(), root) || '.'}`);
