// Spawns a real `tiptop serve` process for end-to-end tests and tears it down again.
//
//   const server = await startServer({ clientUrl: 'http://localhost:3000' });
//   await axios.get(`${server.baseUrl}/health`);
//   server.logs          // every stdout line parsed as JSON (non-JSON lines kept as { raw })
//   server.lines         // the raw stdout lines
//   await server.stop(); // SIGTERM; rejects unless the process exits with code 0
//
// Environment knobs:
//   TIPTOP_BIN                path to the server binary (default ../../build/src/tiptop from this suite)
//   TIPTOP_E2E_DATABASE_URL   use this database instead of a fresh temporary SQLite file
//   TIPTOP_E2E_START_TIMEOUT_MS / TIPTOP_E2E_STOP_TIMEOUT_MS   (defaults suit a Debug+ASan build)

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const suiteDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export const TIPTOP_BIN = path.resolve(suiteDir, process.env.TIPTOP_BIN ?? '../../build/src/tiptop');
export const JWT_SECRET = 'e2e-test-secret-0123456789abcdef-0123456789';
export const DEFAULT_CLIENT_URL = 'http://localhost:3000';

const START_TIMEOUT_MS = Number(process.env.TIPTOP_E2E_START_TIMEOUT_MS ?? 30_000);
const STOP_TIMEOUT_MS = Number(process.env.TIPTOP_E2E_STOP_TIMEOUT_MS ?? 20_000);

// Ask the kernel for a free loopback port, then release it for the server to bind.
// (The server itself is started with a concrete PORT; a small race remains, so startServer retries.)
export async function freePort() {
  const srv = net.createServer();
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const { port } = srv.address();
  srv.close();
  await once(srv, 'close');
  return port;
}

function parseLine(line) {
  try {
    const v = JSON.parse(line);
    return v !== null && typeof v === 'object' ? v : { raw: line };
  } catch {
    return { raw: line };
  }
}

class TiptopServer {
  constructor({ child, port, tmpDir, ownsTmpDir, env }) {
    this.child = child;
    this.port = port;
    this.baseUrl = `http://127.0.0.1:${port}`;
    this.env = env;
    this.tmpDir = tmpDir;
    this.ownsTmpDir = ownsTmpDir;
    this.lines = [];
    this.logs = [];
    this.stderr = '';
    this.exit = null; // { code, signal } once the process has exited
    this.#waiters = [];

    createInterface({ input: child.stdout }).on('line', (line) => {
      this.lines.push(line);
      const entry = parseLine(line);
      this.logs.push(entry);
      if (process.env.TIPTOP_E2E_ECHO_LOGS) process.stderr.write(`[tiptop:${port}] ${line}\n`);
      for (const w of [...this.#waiters]) w.check(entry);
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => {
      this.stderr += chunk;
    });
    this.exited = new Promise((resolve) => {
      child.on('exit', (code, signal) => {
        this.exit = { code, signal };
        for (const w of [...this.#waiters]) w.fail(new Error(`tiptop exited (code ${code}, signal ${signal}) ${this.#diagnostics()}`));
        resolve(this.exit);
      });
    });
  }

  #waiters;

  #diagnostics() {
    const tail = this.lines.slice(-20).join('\n');
    return `\n--- stdout (last 20 lines) ---\n${tail}\n--- stderr ---\n${this.stderr.slice(-4000)}`;
  }

  // Log entries whose msg equals `msg` (or that satisfy a predicate).
  findLogs(match) {
    const pred = typeof match === 'function' ? match : (e) => e.msg === match;
    return this.logs.filter(pred);
  }

  // Resolves with the first log entry (already seen or future) matching `match`.
  waitForLog(match, timeoutMs = 10_000) {
    const pred = typeof match === 'function' ? match : (e) => e.msg === match;
    const seen = this.logs.find(pred);
    if (seen) return Promise.resolve(seen);
    if (this.exit) return Promise.reject(new Error(`tiptop already exited ${this.#diagnostics()}`));
    return new Promise((resolve, reject) => {
      const waiter = {
        check: (entry) => {
          if (pred(entry)) done(null, entry);
        },
        fail: (err) => done(err),
      };
      const timer = setTimeout(
        () => done(new Error(`timed out after ${timeoutMs} ms waiting for log line ${match} ${this.#diagnostics()}`)),
        timeoutMs,
      );
      const done = (err, entry) => {
        clearTimeout(timer);
        this.#waiters = this.#waiters.filter((w) => w !== waiter);
        if (err) reject(err);
        else resolve(entry);
      };
      this.#waiters.push(waiter);
    });
  }

  // Sends `signal` (SIGTERM by default), waits for the exit and returns { code, signal }.
  // Rejects if the process does not exit within the timeout (it is then SIGKILLed) or,
  // unless allowFailure is set, if it exits with anything other than code 0.
  async stop({ signal = 'SIGTERM', timeoutMs = STOP_TIMEOUT_MS, allowFailure = false } = {}) {
    try {
      if (!this.exit) {
        this.child.kill(signal);
        let timer;
        const timedOut = new Promise((resolve) => {
          timer = setTimeout(() => resolve('timeout'), timeoutMs);
        });
        const result = await Promise.race([this.exited, timedOut]);
        clearTimeout(timer);
        if (result === 'timeout') {
          this.child.kill('SIGKILL');
          await this.exited;
          throw new Error(`tiptop did not exit within ${timeoutMs} ms of ${signal} ${this.#diagnostics()}`);
        }
      }
      const { code, signal: sig } = this.exit;
      if (!allowFailure && (code !== 0 || sig !== null))
        throw new Error(`tiptop exited with code ${code}, signal ${sig} (expected code 0) ${this.#diagnostics()}`);
      return this.exit;
    } finally {
      if (this.ownsTmpDir) fs.rmSync(this.tmpDir, { recursive: true, force: true });
    }
  }
}

// The child gets a minimal, explicit environment (so a developer's shell settings such as RATE_LIMIT_MAX
// cannot change test behaviour) plus these few variables when they are set.
function passThrough(names) {
  return Object.fromEntries(names.filter((n) => process.env[n] !== undefined).map((n) => [n, process.env[n]]));
}

// Stops the server (SIGTERM, exit 0 required) and starts a new process on the same port, with the
// same environment and database: what a deploy or a crash-restart looks like to connected clients.
// { signal: 'SIGKILL' } is a crash: the process dies mid-work, with no chance to clean up.
// between() runs after the old process is gone and before the new one starts.
export async function restartServer(server, { signal = 'SIGTERM', between = async () => {} } = {}) {
  server.ownsTmpDir = false; // keep the database for the new process
  await server.stop({ signal, allowFailure: signal === 'SIGKILL' });
  await between();
  const child = spawn(TIPTOP_BIN, ['serve'], { cwd: server.tmpDir, env: server.env, stdio: ['ignore', 'pipe', 'pipe'] });
  const next = new TiptopServer({ child, port: server.port, tmpDir: server.tmpDir, ownsTmpDir: true, env: server.env });
  child.on('error', () => {});
  await next.waitForLog('listening', START_TIMEOUT_MS);
  return next;
}

async function spawnOnce({ env: extraEnv, clientUrl, logLevel }) {
  if (!fs.existsSync(TIPTOP_BIN))
    throw new Error(`tiptop binary not found at ${TIPTOP_BIN}; build it first or set TIPTOP_BIN`);

  const port = await freePort();
  const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tiptop-e2e-'));
  const databaseUrl = process.env.TIPTOP_E2E_DATABASE_URL || `sqlite://${path.join(tmpDir, 'tiptop.db')}`;
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME ?? tmpDir,
    ...passThrough(['ASAN_OPTIONS', 'LSAN_OPTIONS', 'UBSAN_OPTIONS', 'TSAN_OPTIONS', 'TZ', 'LANG', 'LC_ALL']),
    NODE_ENV: 'test',
    PORT: String(port),
    DATABASE_URL: databaseUrl,
    JWT_SECRET,
    CLIENT_URL: clientUrl,
    LOG_LEVEL: logLevel,
    UPLOAD_DIR: path.join(tmpDir, 'uploads'),
    // Suites place many orders as one customer; a test of the flood limits sets them itself.
    ORDER_PLACEMENTS_PER_MINUTE: '0',
    MAX_OPEN_ORDERS_PER_CUSTOMER: '0',
    SOCKET_HANDSHAKES_PER_MINUTE: '0', // every client of the suite connects from 127.0.0.1
    ...extraEnv,
  };

  // cwd is the temp dir so that no stray ./.env from the repository leaks into the configuration.
  const child = spawn(TIPTOP_BIN, ['serve'], { cwd: tmpDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const server = new TiptopServer({ child, port, tmpDir, ownsTmpDir: true, env });
  child.on('error', () => {}); // surfaced through 'exit' / waitForLog

  try {
    const listening = await server.waitForLog('listening', START_TIMEOUT_MS);
    if (listening.port !== port) throw new Error(`tiptop reported port ${listening.port}, expected ${port}`);
    return server;
  } catch (err) {
    if (!server.exit) {
      child.kill('SIGKILL');
      await server.exited;
    }
    fs.rmSync(tmpDir, { recursive: true, force: true });
    err.portInUse = /address already in use|EADDRINUSE/i.test(server.stderr + server.lines.join('\n'));
    throw err;
  }
}

// Starts a server on a fresh free port with a fresh temporary SQLite database.
// options.env overrides/extends the environment; options.clientUrl sets CLIENT_URL.
export async function startServer({ env = {}, clientUrl = DEFAULT_CLIENT_URL, logLevel = 'info' } = {}) {
  let lastErr;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await spawnOnce({ env, clientUrl, logLevel });
    } catch (err) {
      lastErr = err;
      if (!err.portInUse) throw err; // only the free-port race is worth retrying
    }
  }
  throw lastErr;
}
