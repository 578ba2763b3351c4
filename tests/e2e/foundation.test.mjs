// Foundation behaviour of the real server binary over real HTTP: health, error envelopes,
// method handling, request ids, security headers, CORS, body limits, OpenAPI, graceful shutdown.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import axios from 'axios';

import { startServer } from './helpers/server.mjs';

const ALLOWED_ORIGIN = 'http://localhost:3000';
const SECOND_ALLOWED_ORIGIN = 'https://admin.tiptop.test';

function assertSecurityHeaders(res) {
  assert.equal(res.headers['x-content-type-options'], 'nosniff');
  assert.equal(res.headers['x-frame-options'], 'DENY');
  assert.match(res.headers['x-request-id'] ?? '', /^\S+$/, 'every response carries X-Request-Id');
}

function assertErrorEnvelope(res, status, code) {
  assert.equal(res.status, status);
  assert.match(res.headers['content-type'] ?? '', /^application\/json/);
  const body = res.data;
  assert.equal(body.success, false);
  assert.equal(typeof body.error, 'object');
  assert.equal(body.error.code, code);
  assert.equal(typeof body.error.message, 'string');
  assert.ok(body.error.message.length > 0);
  assert.equal(typeof body.error.timestamp, 'string');
  assert.ok(!Number.isNaN(Date.parse(body.error.timestamp)), `timestamp ${body.error.timestamp} parses as a date`);
  assert.equal(body.error.requestId, res.headers['x-request-id'], 'envelope requestId matches the X-Request-Id header');
}

describe('foundation', () => {
  let server;
  let http;

  before(async () => {
    server = await startServer({ clientUrl: `${ALLOWED_ORIGIN},${SECOND_ALLOWED_ORIGIN}` });
    http = axios.create({ baseURL: server.baseUrl, timeout: 10_000, validateStatus: () => true });
  });

  // Safety net only: the last test below stops the server and asserts the exit code, so that a
  // shutdown failure (including an ASan/LSan report) is counted as a failing test, not just a hook error.
  after(async () => {
    if (server && !server.exit) await server.stop();
  });

  test('logs a listening line with the configured port', () => {
    const listening = server.findLogs('listening');
    assert.equal(listening.length, 1);
    assert.equal(listening[0].port, server.port);
    assert.equal(listening[0].level, 'info');
    assert.equal(listening[0].database, server.env.DATABASE_URL.startsWith('sqlite://') ? 'sqlite' : 'postgres');
  });

  test('GET /health reports healthy with uptime, timestamp, memory and database', async () => {
    const before = Date.now();
    const res = await http.get('/health');
    const afterTs = Date.now();
    assert.equal(res.status, 200);
    assert.match(res.headers['content-type'], /^application\/json/);
    assertSecurityHeaders(res);
    const body = res.data;
    assert.equal(body.status, 'healthy');
    assert.equal(body.database, 'ok');
    assert.equal(typeof body.uptime, 'number');
    assert.ok(body.uptime >= 0);
    assert.equal(typeof body.timestamp, 'number');
    assert.ok(Number.isInteger(body.timestamp), 'timestamp is epoch milliseconds');
    assert.ok(body.timestamp >= before - 5_000 && body.timestamp <= afterTs + 5_000, 'timestamp is close to now');
    assert.equal(typeof body.memory, 'object');
    for (const k of ['rss', 'heapTotal', 'heapUsed']) assert.equal(typeof body.memory[k], 'number', `memory.${k}`);
    assert.ok(body.memory.rss > 0);
    assert.equal(body.success, undefined, '/health is raw JSON, not wrapped in an envelope');
  });

  test('GET /health uptime grows', async () => {
    const a = (await http.get('/health')).data.uptime;
    await new Promise((r) => setTimeout(r, 50));
    const b = (await http.get('/health')).data.uptime;
    assert.ok(b >= a, `uptime ${b} >= ${a}`);
  });

  test('GET /ready reports ready', async () => {
    const res = await http.get('/ready');
    assert.equal(res.status, 200);
    assert.deepEqual(res.data, { status: 'ready', database: 'ok' });
  });

  test('unknown path gives a 404 NOT_FOUND envelope (axios rejects by default)', async () => {
    await assert.rejects(axios.get(`${server.baseUrl}/api/definitely-not-here`, { timeout: 10_000 }), (err) => {
      assert.ok(axios.isAxiosError(err));
      assert.ok(err.response, 'the error carries the HTTP response');
      assertErrorEnvelope(err.response, 404, 'NOT_FOUND');
      assertSecurityHeaders(err.response);
      return true;
    });
  });

  test('wrong method on an existing path gives 405 METHOD_NOT_ALLOWED with Allow', async () => {
    for (const method of ['post', 'put', 'delete', 'patch']) {
      const res = await http.request({ method, url: '/health', data: method === 'delete' ? undefined : {} });
      assertErrorEnvelope(res, 405, 'METHOD_NOT_ALLOWED');
      const allow = (res.headers.allow ?? '').split(',').map((s) => s.trim());
      assert.ok(allow.includes('GET'), `Allow (${res.headers.allow}) lists GET`);
      assert.ok(!allow.includes(method.toUpperCase()), `Allow (${res.headers.allow}) does not list ${method}`);
    }
  });

  test('a well-formed incoming X-Request-Id is echoed in the header, the envelope and the log', async () => {
    const id = `e2e-${Date.now()}-abc_DEF.1:2`;
    const ok = await http.get('/health', { headers: { 'X-Request-Id': id } });
    assert.equal(ok.headers['x-request-id'], id);

    const missing = await http.get('/nope', { headers: { 'X-Request-Id': `${id}-404` } });
    assert.equal(missing.headers['x-request-id'], `${id}-404`);
    assert.equal(missing.data.error.requestId, `${id}-404`);

    const line = await server.waitForLog((e) => e.msg === 'request' && e.requestId === id);
    assert.equal(line.method, 'GET');
    assert.equal(line.path, '/health');
    assert.equal(line.status, 200);
  });

  test('a missing or malformed X-Request-Id is replaced by a generated one', async () => {
    const generated = await http.get('/health');
    const a = generated.headers['x-request-id'];
    assert.ok(a && a.length > 0);
    const b = (await http.get('/health')).headers['x-request-id'];
    assert.notEqual(a, b, 'generated ids are unique');

    const malformed = 'bad id with spaces <script>';
    const res = await http.get('/health', { headers: { 'X-Request-Id': malformed } });
    assert.notEqual(res.headers['x-request-id'], malformed);
    assert.match(res.headers['x-request-id'], /^[A-Za-z0-9._:-]+$/);

    const tooLong = 'x'.repeat(200);
    const res2 = await http.get('/health', { headers: { 'X-Request-Id': tooLong } });
    assert.notEqual(res2.headers['x-request-id'], tooLong);
  });

  test('CORS: an allowed Origin is echoed with credentials', async () => {
    for (const origin of [ALLOWED_ORIGIN, SECOND_ALLOWED_ORIGIN]) {
      const res = await http.get('/health', { headers: { Origin: origin } });
      assert.equal(res.status, 200);
      assert.equal(res.headers['access-control-allow-origin'], origin);
      assert.equal(res.headers['access-control-allow-credentials'], 'true');
      assert.match(res.headers.vary ?? '', /Origin/i);
    }
  });

  test('CORS: error responses to an allowed Origin also carry CORS headers', async () => {
    const res = await http.get('/nope', { headers: { Origin: ALLOWED_ORIGIN } });
    assert.equal(res.status, 404);
    assert.equal(res.headers['access-control-allow-origin'], ALLOWED_ORIGIN);
  });

  test('CORS: a disallowed Origin gets no Access-Control-Allow-Origin', async () => {
    for (const origin of ['http://evil.example', 'http://localhost:3001', 'http://localhost:3000.evil.example']) {
      const res = await http.get('/health', { headers: { Origin: origin } });
      assert.equal(res.status, 200, 'the request itself still succeeds; the browser enforces CORS');
      assert.equal(res.headers['access-control-allow-origin'], undefined, `no ACAO for ${origin}`);
      assert.equal(res.headers['access-control-allow-credentials'], undefined, `no ACAC for ${origin}`);
    }
  });

  test('CORS: the "null" Origin gets no Access-Control-Allow-Origin', async () => {
    const res = await http.get('/health', { headers: { Origin: 'null' } });
    assert.equal(res.status, 200);
    assert.equal(res.headers['access-control-allow-origin'], undefined);
    assert.equal(res.headers['access-control-allow-credentials'], undefined);
  });

  test('CORS: no Origin means no CORS headers', async () => {
    const res = await http.get('/health');
    assert.equal(res.headers['access-control-allow-origin'], undefined);
  });

  test('CORS preflight from an allowed Origin returns 204 with Allow-Methods', async () => {
    const res = await http.options('/health', {
      headers: {
        Origin: ALLOWED_ORIGIN,
        'Access-Control-Request-Method': 'GET',
        'Access-Control-Request-Headers': 'Content-Type, X-Request-Id',
      },
    });
    assert.equal(res.status, 204);
    assert.ok(res.data === '' || res.data === undefined, 'preflight has no body');
    const methods = (res.headers['access-control-allow-methods'] ?? '').split(',').map((s) => s.trim());
    assert.ok(methods.includes('GET'), `Access-Control-Allow-Methods (${res.headers['access-control-allow-methods']})`);
    assert.equal(res.headers['access-control-allow-origin'], ALLOWED_ORIGIN);
    assert.equal(res.headers['access-control-allow-credentials'], 'true');
    const allowHeaders = (res.headers['access-control-allow-headers'] ?? '').toLowerCase();
    assert.ok(allowHeaders.includes('content-type'));
    assert.ok(allowHeaders.includes('x-request-id'));
    assertSecurityHeaders(res);
  });

  test('CORS preflight from a disallowed Origin grants nothing', async () => {
    const res = await http.options('/health', {
      headers: { Origin: 'http://evil.example', 'Access-Control-Request-Method': 'GET' },
    });
    assert.ok(res.status < 500);
    assert.equal(res.headers['access-control-allow-origin'], undefined);
    assert.equal(res.headers['access-control-allow-methods'], undefined);
  });

  test('a 2 MB JSON body is rejected with 413 PAYLOAD_TOO_LARGE', async () => {
    const big = { blob: 'a'.repeat(2 * 1024 * 1024) };
    for (const url of ['/health', '/api/anything']) {
      const res = await http.post(url, big, {
        headers: { 'Content-Type': 'application/json', Origin: ALLOWED_ORIGIN },
        maxBodyLength: Infinity,
        maxContentLength: Infinity,
      });
      assertErrorEnvelope(res, 413, 'PAYLOAD_TOO_LARGE');
      assert.equal(res.headers['access-control-allow-origin'], ALLOWED_ORIGIN);
    }
    // The server keeps serving after rejecting oversized bodies.
    const health = await http.get('/health');
    assert.equal(health.status, 200);
  });

  test('a small JSON body on a wrong method is still a 405, not a 413', async () => {
    const res = await http.post('/health', { hello: 'world' });
    assert.equal(res.status, 405);
  });

  test('GET /api/docs/openapi.json is an OpenAPI 3.1.0 document with /health', async () => {
    const res = await http.get('/api/docs/openapi.json');
    assert.equal(res.status, 200);
    assert.match(res.headers['content-type'], /^application\/json/);
    const doc = res.data;
    assert.equal(doc.openapi, '3.1.0');
    assert.equal(typeof doc.info, 'object');
    assert.equal(typeof doc.info.title, 'string');
    assert.equal(typeof doc.info.version, 'string');
    assert.equal(typeof doc.paths, 'object');
    assert.ok(doc.paths['/health'], 'paths has /health');
    assert.ok(doc.paths['/health'].get, '/health documents GET');
  });

  test('after serving all of the above, SIGTERM exits with code 0 (no sanitizer reports)', async () => {
    const { code, signal } = await server.stop({ allowFailure: true });
    assert.equal(signal, null);
    assert.equal(code, 0, `exit code ${code}; stderr:\n${server.stderr.slice(-4000)}`);
    assert.equal(server.findLogs((e) => e.level === 'error' || e.level === 'critical').length, 0, 'no error logs');
  });
});

describe('graceful shutdown', () => {
  test('SIGTERM stops the server with exit code 0 and logs the shutdown', async () => {
    const server = await startServer();
    const res = await axios.get(`${server.baseUrl}/health`, { timeout: 10_000 });
    assert.equal(res.status, 200);

    const { code, signal } = await server.stop({ signal: 'SIGTERM', allowFailure: true });
    assert.equal(signal, null, 'the process exits on its own instead of dying from the signal');
    assert.equal(code, 0);
    const shuttingDown = server.findLogs('shutting down');
    assert.equal(shuttingDown.length, 1);
    assert.equal(shuttingDown[0].signal, 'SIGTERM');
    assert.equal(server.findLogs('stopped').length, 1);

    await assert.rejects(
      axios.get(`${server.baseUrl}/health`, { timeout: 2_000 }),
      (err) => err.code === 'ECONNREFUSED',
      'the port is closed after shutdown',
    );
  });

  test('SIGTERM with an idle keep-alive connection open still exits 0 promptly', async () => {
    const { default: httpMod } = await import('node:http');
    const server = await startServer();
    const agent = new httpMod.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const res = await axios.get(`${server.baseUrl}/health`, { httpAgent: agent, timeout: 10_000 });
      assert.equal(res.status, 200);
      const started = Date.now();
      const { code } = await server.stop({ timeoutMs: 8_000 });
      assert.equal(code, 0);
      assert.ok(Date.now() - started < 8_000, 'idle keep-alive connections do not hold up shutdown');
    } finally {
      agent.destroy();
    }
  });
});
