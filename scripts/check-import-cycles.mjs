// Fails when the relative imports of src/ or web/src/ form a cycle. Type-only imports count too: a cycle of types
// is still a knot a reader has to untie. Run by `npm run lint`; prints each cycle as a chain of files.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const roots = process.argv.length > 2 ? process.argv.slice(2) : ['src', 'web/src'];
const IMPORT = /(?:^|\n)\s*(?:import|export)\b[^'"]*?\bfrom\s+['"](\.{1,2}\/[^'"]+)['"]/g;

function sourceFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

const files = roots.flatMap((root) => sourceFiles(resolve(root)));
const known = new Set(files);
const imports = new Map(
  files.map((file) => [
    file,
    [...readFileSync(file, 'utf8').matchAll(IMPORT)]
      .map((match) => resolve(dirname(file), match[1]))
      .filter((target) => known.has(target)),
  ]),
);

// Depth-first; meeting a file that is still on the current path closes a cycle.
const cycles = [];
const done = new Set();
const path = [];
function visit(file) {
  if (path.includes(file)) return void cycles.push([...path.slice(path.indexOf(file)), file]);
  if (done.has(file)) return;
  path.push(file);
  for (const target of imports.get(file)) visit(target);
  path.pop();
  done.add(file);
}
for (const file of files) visit(file);

for (const cycle of cycles) console.error(`import cycle: ${cycle.map((f) => relative(process.cwd(), f)).join(' -> ')}`);
if (cycles.length > 0) process.exit(1);
console.log(`no import cycles among ${files.length} files under ${roots.join(', ')}`);
