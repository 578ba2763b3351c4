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
  const script = outputs.find((f) => f.endsWith('.js'));
  const style = outputs.find((f) => f.endsWith('.css'));
  let html = await readFile(path.join(here, app, 'index.html'), 'utf8');
  html = html.replace('%SCRIPT%', url(script));
  html = style ? html.replace('%STYLE%', url(style)) : html.replace(/<link rel="stylesheet"[^>]*>\n?/, '');
  await writeFile(path.join(out, app, 'index.html'), html);
  sizes.push({ app, script, style });
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
for (const { app, script, style } of sizes) {
  const js = (await stat(script)).size;
  const jsBr = (await stat(script + '.br')).size;
  const jsGz = (await stat(script + '.gz')).size;
  const css = style ? (await stat(style)).size : 0;
  console.log(`web: ${app}: JavaScript ${kb(js)} (${kb(jsBr)} brotli, ${kb(jsGz)} gzip), CSS ${kb(css)}`);
}
console.log(`web: built ${apps.join(', ')} into ${path.relative(process.cwd(), out) || out} in ${Date.now() - started} ms`);
