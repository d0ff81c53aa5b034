// Builds the portal into dist/ (or the directory after --out): one minified script and one
// stylesheet, named by their content hash so that servers may cache them for good, and
// index.html pointing at them. `rekap serve` serves dist/ at / and copies it to the publish
// directory (docs/portal.md). The officer's page is a second entry: petugas.html with its own
// script and style, and the service worker petugas-sw.js (docs/officer.md).
import { build } from 'esbuild';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = process.argv.indexOf('--out');
const dist = out > 0 ? resolve(process.argv[out + 1]) : join(here, 'dist');

await rm(dist, { recursive: true, force: true });
await mkdir(join(dist, 'assets'), { recursive: true });

const options = {
  bundle: true,
  minify: true,
  format: 'esm',
  // <dialog>, used by the photo viewer, needs Safari 15.4.
  target: ['es2020', 'chrome100', 'firefox100', 'safari15.4'],
  outdir: join(dist, 'assets'),
  entryNames: '[name]-[hash]',
  metafile: true,
  logLevel: 'warning',
};

// Bundles the entries and writes the page from its template; the page's files, as paths in dist.
async function page(entries, template, htmlName) {
  const result = await build({ ...options, entryPoints: entries });
  const outputs = Object.keys(result.metafile.outputs).map((p) => basename(p));
  const [scriptName, styleName] = Object.keys(entries);
  const script = outputs.find((p) => p.startsWith(`${scriptName}-`) && p.endsWith('.js'));
  const style = outputs.find((p) => p.startsWith(`${styleName}-`) && p.endsWith('.css'));
  const html = (await readFile(join(here, template), 'utf8'))
    .replace('%SCRIPT%', `assets/${script}`)
    .replace('%STYLE%', `assets/${style}`);
  await writeFile(join(dist, htmlName), html);
  return [htmlName, `assets/${script}`, `assets/${style}`];
}

const portal = await page({ app: join(here, 'src/main.js'), style: join(here, 'src/style.css') }, 'src/index.html', 'index.html');

const officer = await page(
  { petugas: join(here, 'src/officer/main.js'), 'petugas-style': join(here, 'src/officer/style.css') },
  'src/petugas.html',
  'petugas.html',
);
// The service worker lies at the root, so its scope may cover /petugas; it keeps the page (as
// rekap serves it, at /petugas) and its assets, and changes whenever they do.
const precache = ['petugas', officer[1], officer[2]];
await build({
  ...options,
  entryPoints: { 'petugas-sw': join(here, 'src/officer/sw.js') },
  outdir: dist,
  entryNames: '[name]',
  format: 'iife',
  define: { FILES: JSON.stringify(precache), VERSION: JSON.stringify(precache.slice(1).map((f) => basename(f).split('-').pop().split('.')[0]).join('-')) },
});

const sizes = await Promise.all(
  [...portal, ...officer, 'petugas-sw.js'].map(async (f) => {
    const bytes = (await readFile(join(dist, f))).length;
    return `${f} ${bytes} B`;
  }),
);
console.log(`portal built in ${dist}: ${sizes.join(', ')}`);
