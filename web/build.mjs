// Builds the web apps into dist/ (WEB_DIR): one bundle per app with hashed names, its index.html
// pointing at them, and a .br and .gz beside every text file so the server sends them as they are.
// Prints each app's sizes. Usage: node build.mjs   (from web/, or npm run build)
import * as esbuild from 'esbuild';
import { mkdir, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.join(here, 'dist');
const apps = ['console'];
const started = Date.now();

await rm(out, { recursive: true, force: true });
const sizes = [];
for (const app of apps) {
  const result = await esbuild.build({
    absWorkingDir: here,
    entryPoints: { app: `${app}/main.tsx` },
    bundle: true,
    minify: true,
    format: 'esm',
    splitting: true, // chart.js and other heavy screens load when opened
    chunkNames: '[name]-[hash]',
    target: 'es2020',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    outdir: path.join(out, app, 'assets'),
    entryNames: '[name]-[hash]',
    assetNames: '[name]-[hash]',
    legalComments: 'none',
    metafile: true,
    logLevel: 'warning',
  });
  const outputs = Object.keys(result.metafile.outputs).map((f) => path.resolve(here, f));
  const url = (f) => '/' + path.relative(out, f).split(path.sep).join('/');
  const entry = Object.entries(result.metafile.outputs).find(([, o]) => o.entryPoint)[0];
  const script = path.resolve(here, entry);
  // What the page loads first (the entry and the chunks it imports statically) and what waits for a screen.
  const first = new Set([entry]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const f of [...first])
      for (const i of result.metafile.outputs[f].imports)
        if (i.kind === 'import-statement' && !first.has(i.path)) first.add(i.path), (grew = true);
  }
  const firstLoad = [...first].map((f) => path.resolve(here, f));
  const chunks = outputs.filter((f) => f.endsWith('.js') && !firstLoad.includes(f));
  const style = outputs.find((f) => f.endsWith('.css'));
  let html = await readFile(path.join(here, app, 'index.html'), 'utf8');
  html = html.replace('%SCRIPT%', url(script));
  html = style ? html.replace('%STYLE%', url(style)) : html.replace(/<link rel="stylesheet"[^>]*>\n?/, '');
  await writeFile(path.join(out, app, 'index.html'), html);
  sizes.push({ app, script, style, chunks, firstLoad });
}
await writeFile(path.join(out, 'index.html'), await readFile(path.join(here, 'shop', 'index.html')));

// Precompressed forms of every text file, kept only when smaller.
async function* files(dir) {
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* files(p);
    else yield p;
  }
}
for await (const f of files(out)) {
  if (!/\.(js|css|html|svg|json|txt)$/.test(f)) continue;
  const bytes = await readFile(f);
  const br = brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } });
  const gz = gzipSync(bytes, { level: 9 });
  if (br.length < bytes.length) await writeFile(f + '.br', br);
  if (gz.length < bytes.length) await writeFile(f + '.gz', gz);
}

const kb = (n) => (n / 1024).toFixed(1) + ' KB';
const sum = async (files, suffix = '') => {
  let n = 0;
  for (const f of files) n += (await stat(f + suffix).catch(() => stat(f))).size;
  return n;
};
for (const { app, style, chunks, firstLoad } of sizes) {
  const js = await sum(firstLoad);
  const jsBr = await sum(firstLoad, '.br');
  const jsGz = await sum(firstLoad, '.gz');
  const css = style ? (await stat(style)).size : 0;
  const later = await sum(chunks, '.gz');
  console.log(`web: ${app}: first load JavaScript ${kb(js)} (${kb(jsBr)} brotli, ${kb(jsGz)} gzip), CSS ${kb(css)}; ` +
    `${chunks.length} chunk(s) loaded on demand, ${kb(later)} gzip`);
}
console.log(`web: built ${apps.join(', ')} into ${path.relative(process.cwd(), out) || out} in ${Date.now() - started} ms`);
