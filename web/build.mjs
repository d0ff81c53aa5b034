// Builds the portal into dist/ (or the directory after --out): one minified script and one
// stylesheet, named by their content hash so that servers may cache them for good, and
// index.html pointing at them. `rekap serve` serves dist/ at / and copies it to the publish
// directory (docs/portal.md).
import { build } from 'esbuild';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = process.argv.indexOf('--out');
const dist = out > 0 ? resolve(process.argv[out + 1]) : join(here, 'dist');

await rm(dist, { recursive: true, force: true });
await mkdir(join(dist, 'assets'), { recursive: true });

const result = await build({
  entryPoints: { app: join(here, 'src/main.js'), style: join(here, 'src/style.css') },
  bundle: true,
  minify: true,
  format: 'esm',
  // <dialog>, used by the photo viewer, needs Safari 15.4.
  target: ['es2020', 'chrome100', 'firefox100', 'safari15.4'],
  outdir: join(dist, 'assets'),
  entryNames: '[name]-[hash]',
  metafile: true,
  logLevel: 'warning',
});

const outputs = Object.keys(result.metafile.outputs).map((p) => basename(p));
const script = outputs.find((p) => p.startsWith('app-') && p.endsWith('.js'));
const style = outputs.find((p) => p.startsWith('style-') && p.endsWith('.css'));
const html = (await readFile(join(here, 'src/index.html'), 'utf8'))
  .replace('%SCRIPT%', `assets/${script}`)
  .replace('%STYLE%', `assets/${style}`);
await writeFile(join(dist, 'index.html'), html);

const sizes = await Promise.all(
  ['index.html', `assets/${script}`, `assets/${style}`].map(async (f) => {
    const bytes = (await readFile(join(dist, f))).length;
    return `${f} ${bytes} B`;
  }),
);
console.log(`portal built in ${dist}: ${sizes.join(', ')}`);
