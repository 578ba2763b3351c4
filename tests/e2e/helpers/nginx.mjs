// Starts the Debian nginx with deploy/nginx.conf in front of local TipTop nodes, as production
// runs it: only what cannot hold on a test machine changes — the upstream addresses (docker
// compose names there), the listen address, and the pid, log and temp paths (a user's temp dir).
//
//   const proxy = await startNginx({ upstreams: [nodeA.port, nodeB.port] });
//   proxy.baseUrl   // http://127.0.0.1:<port>
//   await proxy.stop();
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

import { freePort } from './server.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

function substitute(text, from, to) {
  assert.ok(text.includes(from), `deploy/nginx.conf no longer contains "${from}"; update helpers/nginx.mjs`);
  return text.replaceAll(from, to);
}

async function listening(port, ms) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const ok = await new Promise((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => { s.destroy(); resolve(true); });
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    await sleep(50);
  }
  throw new Error(`nginx did not listen on ${port} within ${ms} ms`);
}

export async function startNginx({ upstreams }) {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tiptop-nginx-'));
  fs.chmodSync(dir, 0o755);  // run as root, nginx's workers (nobody) use the temp paths below
  let conf = fs.readFileSync(path.join(repoRoot, 'deploy/nginx.conf'), 'utf8');
  conf = substitute(conf, 'server api1:5000', `server 127.0.0.1:${upstreams[0]}`);
  conf = substitute(conf, 'server api2:5000', `server 127.0.0.1:${upstreams[1]}`);
  conf = substitute(conf, 'listen 80;', `listen 127.0.0.1:${port};`);
  conf = substitute(conf, 'pid /tmp/nginx.pid;', `pid ${dir}/nginx.pid;`);
  // Node's pipes are socket pairs, which /dev/stderr cannot be opened on: the log goes to a file.
  conf = substitute(conf, 'error_log /dev/stderr warn;', `error_log ${dir}/error.log warn;`);
  conf = substitute(conf, 'http {', `http {\n  client_body_temp_path ${dir}/body;\n  proxy_temp_path ${dir}/proxy;\n` +
    `  fastcgi_temp_path ${dir}/fastcgi;\n  uwsgi_temp_path ${dir}/uwsgi;\n  scgi_temp_path ${dir}/scgi;`);
  fs.writeFileSync(path.join(dir, 'nginx.conf'), conf);

  const log = path.join(dir, 'error.log');
  const errors = () => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8') : '');
  const child = spawn('/usr/sbin/nginx', ['-p', dir, '-c', path.join(dir, 'nginx.conf'), '-e', log, '-g', 'daemon off;'],
    { stdio: 'ignore' });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  try {
    await Promise.race([listening(port, 10_000), exited.then(() => { throw new Error(`nginx exited: ${errors()}`); })]);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  return {
    port,
    baseUrl: `http://127.0.0.1:${port}`,
    errors,
    async stop() {
      child.kill('SIGQUIT');  // graceful: open connections finish
      await exited;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
