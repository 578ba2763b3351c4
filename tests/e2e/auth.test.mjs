// Authentication, sessions, users and addresses over real HTTP with the real axios:
// the spec §9.1 client (interceptors + transparent refresh), register/login/me, validation and
// error envelopes, JWT tampering, refresh-token rotation and reuse detection, logout,
// forgot/reset password through the log outbox, addresses, rate limits and log hygiene.
//
// Works against a fresh SQLite file per server or a shared PostgreSQL database
// (TIPTOP_E2E_DATABASE_URL): every account uses a unique e-mail and phone.

import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import axios from 'axios';

import { JWT_SECRET, startServer } from './helpers/server.mjs';

// ---------------------------------------------------------------------------------------------
// Shared bookkeeping: every server started here, every password sent and every token received,
// so the last test can assert that none of them ever reached the server's log.

const servers = [];
const secrets = new Set(); // passwords (right, wrong, rejected) and refresh tokens
const accessTokens = new Set();

async function start(env = {}) {
  const server = await startServer({ env: { RATE_LIMIT_MAX: '100000', ...env } });
  servers.push(server);
  return server;
}

// A safety net if a describe block fails before its own stop test. stop() also removes the temp
// directory, so it is called even for a server that has already exited (e.g. crashed).
after(async () => {
  for (const s of servers) await s.stop({ allowFailure: true });
});

function uniq() {
  return `${Date.now().toString(36)}${crypto.randomBytes(5).toString('hex')}`;
}

function randomDigits(n) {
  let s = String(1 + crypto.randomInt(9));
  while (s.length < n) s += String(crypto.randomInt(10));
  return s;
}

function password() {
  const p = `Tt-${uniq()}-Pw!`;
  secrets.add(p);
  return p;
}

function newAccount(tag = 'user') {
  return {
    email: `e2e.${tag}.${uniq()}@example.test`,
    phone: `+91${randomDigits(10)}`,
    password: password(),
    firstName: 'Asha',
    lastName: `E2E ${tag}`,
  };
}

function remember(data) {
  if (data?.token) accessTokens.add(data.token);
  if (data?.refreshToken) secrets.add(data.refreshToken);
  return data;
}

function client(server, extra = {}) {
  return axios.create({
    baseURL: `${server.baseUrl}/api/v1`,
    timeout: 20_000,
    validateStatus: () => true,
    ...extra,
  });
}

const bearer = (token) => ({ headers: { Authorization: `Bearer ${token}` } });

function assertError(res, status, code) {
  assert.equal(res.status, status, `expected ${status} ${code}, got ${res.status} ${JSON.stringify(res.data)}`);
  assert.equal(res.data?.success, false);
  assert.equal(res.data.error.code, code, JSON.stringify(res.data));
  assert.equal(typeof res.data.error.message, 'string');
  assert.equal(res.data.error.requestId, res.headers['x-request-id']);
}

function fieldsOf(res) {
  return (res.data?.error?.details ?? []).map((d) => d.field);
}

function assertFieldError(res, field) {
  assertError(res, 400, 'VALIDATION_ERROR');
  const details = res.data.error.details;
  assert.ok(Array.isArray(details) && details.length > 0, `details present: ${JSON.stringify(res.data)}`);
  for (const d of details) {
    assert.equal(typeof d.field, 'string');
    assert.equal(typeof d.message, 'string');
    assert.ok(d.message.length > 0);
  }
  assert.ok(fieldsOf(res).includes(field), `details name "${field}": ${JSON.stringify(details)}`);
}

async function register(api, account) {
  const res = await api.post('/auth/register', account);
  assert.equal(res.status, 201, `register: ${JSON.stringify(res.data)}`);
  assert.equal(res.data.success, true);
  return remember(res.data.data);
}

async function login(api, body) {
  const res = await api.post('/auth/login', body);
  assert.equal(res.status, 200, `login: ${JSON.stringify(res.data)}`);
  return remember(res.data.data);
}

async function refresh(api, refreshToken) {
  const res = await api.post('/auth/refresh-token', { refreshToken });
  if (res.status === 200) remember(res.data.data);
  return res;
}

function b64url(obj) {
  return Buffer.from(typeof obj === 'string' ? obj : JSON.stringify(obj)).toString('base64url');
}

function decodeJwt(token) {
  const [h, p] = token.split('.');
  return { header: JSON.parse(Buffer.from(h, 'base64url')), payload: JSON.parse(Buffer.from(p, 'base64url')) };
}

function signHs256(header, payload, secret) {
  const input = `${b64url(header)}.${b64url(payload)}`;
  return `${input}.${crypto.createHmac('sha256', secret).update(input).digest('base64url')}`;
}

// Swap one character in the middle of the signature (the last character of a 43-character
// base64url signature carries padding bits, so changing it is not guaranteed to change the bytes).
function tamperSignature(token) {
  const parts = token.split('.');
  const sig = parts[2];
  const i = Math.floor(sig.length / 2);
  parts[2] = sig.slice(0, i) + (sig[i] === 'A' ? 'B' : 'A') + sig.slice(i + 1);
  return parts.join('.');
}

function assertUserHasNoSecrets(user) {
  const text = JSON.stringify(user);
  assert.doesNotMatch(text, /password/i, `user JSON mentions a password: ${text}`);
  assert.doesNotMatch(text, /\$argon2|\$2[aby]\$/, 'user JSON contains a password hash');
  assert.doesNotMatch(text, /refresh/i, 'user JSON mentions refresh tokens');
  assert.doesNotMatch(text, /token/i, 'user JSON mentions tokens');
  assert.doesNotMatch(text, /hash/i, 'user JSON mentions a hash');
  assert.doesNotMatch(text, /eyJ/, 'user JSON contains a JWT');
}

async function stopAndCheck(server) {
  const { code, signal } = await server.stop({ allowFailure: true });
  assert.equal(signal, null);
  assert.equal(code, 0, `exit code ${code}; stderr:\n${server.stderr.slice(-4000)}`);
  const errors = server.findLogs((e) => e.level === 'error' || e.level === 'critical');
  assert.deepEqual(errors, [], 'no error logs');
}

// Reset codes go out through the notification outbox, after the request has been answered: the
// mails to `email` once `count` have been logged (or whatever is there after 10 s).
async function mailsTo(server, email, count) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const mails = server.findLogs((e) => e.msg === 'email (log outbox)' && e.to === email);
    if (mails.length >= count || Date.now() > deadline) return mails;
    await new Promise((r) => setTimeout(r, 20));
  }
}

// Resolves once every log line written before this call has been read: the server logs through one
// ordered queue, so when the access-log line of a fresh /health request with a unique id arrives,
// all earlier lines have arrived too.
async function logBarrier(server) {
  const id = `barrier-${uniq()}`;
  await axios.get(`${server.baseUrl}/health`, { headers: { 'X-Request-Id': id }, timeout: 10_000 });
  await server.waitForLog((e) => e.msg === 'request' && e.requestId === id);
}

// The access-log entries for one API path.
function requestLogs(server, path) {
  return server.findLogs((e) => e.msg === 'request' && e.path === path);
}

// ---------------------------------------------------------------------------------------------
// 1. The spec's own axios client (§9.1), verbatim in spirit.

// AsyncStorage stand-in: the same async API, backed by a Map.
function memoryAsyncStorage() {
  const map = new Map();
  return {
    map,
    async getItem(key) {
      return map.has(key) ? map.get(key) : null;
    },
    async setItem(key, value) {
      map.set(key, String(value));
    },
    async multiRemove(keys) {
      for (const k of keys) map.delete(k);
    },
  };
}

function createApiClient(API_BASE_URL, AsyncStorage) {
  // Create axios instance
  const apiClient = axios.create({
    baseURL: API_BASE_URL,
    timeout: 30000,
    headers: {
      'Content-Type': 'application/json',
    },
  });

  // Request interceptor (add auth token)
  apiClient.interceptors.request.use(
    async (config) => {
      const token = await AsyncStorage.getItem('authToken');
      if (token) {
        config.headers.Authorization = `Bearer ${token}`;
      }
      return config;
    },
    (error) => Promise.reject(error),
  );

  // Response interceptor (handle errors)
  apiClient.interceptors.response.use(
    (response) => response.data,
    async (error) => {
      if (error.response?.status === 401) {
        // Token expired, try to refresh
        try {
          const refreshToken = await AsyncStorage.getItem('refreshToken');
          const response = await axios.post(`${API_BASE_URL}/auth/refresh-token`, {
            refreshToken,
          });

          await AsyncStorage.setItem('authToken', response.data.data.token);
          // DEVIATION FROM §9.1: the spec stores only the new access token. The server rotates
          // refresh tokens (the one just presented is now dead), so a client that keeps the old
          // refresh token would present a used token at the next expiry, which the server treats
          // as token theft and answers by revoking the whole session. Store the new one too.
          await AsyncStorage.setItem('refreshToken', response.data.data.refreshToken);

          // Retry original request
          error.config.headers.Authorization = `Bearer ${response.data.data.token}`;
          return apiClient.request(error.config);
        } catch (refreshError) {
          // Refresh failed, logout user
          await AsyncStorage.multiRemove(['authToken', 'refreshToken']);
          // Navigate to login
          return Promise.reject(refreshError);
        }
      }

      return Promise.reject(error.response?.data || error);
    },
  );

  return apiClient;
}

describe('spec §9.1 axios client: transparent refresh of an expired access token', () => {
  let server;

  test('an expired token is refreshed and the request retried; after logout the refresh fails and storage is cleared', async () => {
    // A 1 s access-token life; the server tolerates 30 s of clock skew, so the token is refused
    // from exp + 31 s on. This is the only test in the suite that waits for an expiry.
    server = await start({ JWT_EXPIRE: '1s' });
    const API_BASE_URL = `${server.baseUrl}/api/v1`;
    const AsyncStorage = memoryAsyncStorage();
    const apiClient = createApiClient(API_BASE_URL, AsyncStorage);

    // Sign up through the client (no token yet), then keep the tokens as the app's sign-in screen would.
    const account = newAccount('spec91');
    const signedUp = await apiClient.post('/auth/register', account);
    assert.equal(signedUp.success, true, 'the response interceptor unwraps response.data');
    remember(signedUp.data);
    await AsyncStorage.setItem('authToken', signedUp.data.token);
    await AsyncStorage.setItem('refreshToken', signedUp.data.refreshToken);
    const issuedAt = Date.now();
    const firstToken = signedUp.data.token;
    const firstRefresh = signedUp.data.refreshToken;
    const { payload } = decodeJwt(firstToken);
    assert.equal(payload.exp - payload.iat, 1, 'JWT_EXPIRE=1s gives a 1 s token');

    const me1 = await apiClient.get('/users/me');
    assert.equal(me1.success, true);
    assert.equal(me1.data.email, account.email);
    await logBarrier(server);
    assert.equal(requestLogs(server, '/api/v1/auth/refresh-token').length, 0, 'no refresh while the token is fresh');

    await sleep(Math.max(0, issuedAt + 33_000 - Date.now()));

    // The stored token really is refused now (checked with a plain request, outside the client).
    const raw = await axios.get(`${API_BASE_URL}/users/me`, { ...bearer(firstToken), validateStatus: () => true });
    assertError(raw, 401, 'INVALID_TOKEN');

    // Through the client the expiry is invisible: 401 -> /auth/refresh-token -> retry -> 200.
    const me2 = await apiClient.get('/users/me');
    assert.equal(me2.success, true);
    assert.equal(me2.data._id, me1.data._id);
    assert.equal(me2.data.email, account.email);

    await logBarrier(server);
    assert.equal(requestLogs(server, '/api/v1/auth/refresh-token').length, 1, 'exactly one refresh');
    const meStatuses = requestLogs(server, '/api/v1/users/me').map((e) => e.status);
    assert.deepEqual(meStatuses.slice(-3), [401, 401, 200], 'plain 401, client 401, retried 200');

    const newToken = await AsyncStorage.getItem('authToken');
    const newRefresh = await AsyncStorage.getItem('refreshToken');
    assert.ok(newToken && newToken !== firstToken, 'a new access token was stored');
    assert.ok(newRefresh && newRefresh !== firstRefresh, 'the rotated refresh token was stored');
    accessTokens.add(newToken);
    secrets.add(newRefresh);

    // The fresh token works directly, without another refresh.
    const me3 = await apiClient.get('/users/me');
    assert.equal(me3.data._id, me1.data._id);
    await logBarrier(server);
    assert.equal(requestLogs(server, '/api/v1/auth/refresh-token').length, 1);

    // Log out: the session ends on the server (the app would also clear storage; this one does not,
    // to show what the interceptor does with a dead session).
    const out = await apiClient.post('/auth/logout');
    assert.equal(out.success, true);

    // Next call: 401 -> refresh with the stored (live-until-logout) refresh token -> 401 ->
    // the interceptor clears storage and rejects with the refresh error.
    await assert.rejects(apiClient.get('/users/me'), (err) => {
      assert.ok(axios.isAxiosError(err), `rejects with the refresh AxiosError, got ${err}`);
      assert.match(err.config.url, /\/auth\/refresh-token$/);
      assert.equal(err.response.status, 401);
      assert.equal(err.response.data.error.code, 'INVALID_TOKEN');
      return true;
    });
    assert.equal(await AsyncStorage.getItem('authToken'), null, 'authToken cleared');
    assert.equal(await AsyncStorage.getItem('refreshToken'), null, 'refreshToken cleared');
    assert.equal(AsyncStorage.map.size, 0);
    await logBarrier(server);
    const refreshStatuses = requestLogs(server, '/api/v1/auth/refresh-token').map((e) => e.status);
    assert.deepEqual(refreshStatuses, [200, 401]);

    // Without tokens the client just passes the server's error envelope through (§9.1's last line).
    await assert.rejects(apiClient.get('/users/me'), (err) => {
      // No token -> 401 -> the interceptor tries refresh with a null token -> 400/401 -> rejects.
      assert.ok(axios.isAxiosError(err));
      assert.ok([400, 401].includes(err.response.status), `status ${err.response.status}`);
      return true;
    });
  });

  test('server exits 0 after the spec client run', async () => {
    await stopAndCheck(server);
  });
});

// ---------------------------------------------------------------------------------------------
// 2-7. Everything else shares one server (general rate limit lifted; login limit at its default 5).

describe('auth and users', () => {
  let server;
  let api;

  before(async () => {
    server = await start();
    api = client(server);
  });

  describe('register, login, me', () => {
    test('register creates a customer (any role in the body is ignored) and signs in', async () => {
      const account = newAccount('happy');
      const res = await api.post('/auth/register', { ...account, role: 'admin' });
      assert.equal(res.status, 201, JSON.stringify(res.data));
      assert.match(res.headers['content-type'], /^application\/json/);
      assert.equal(res.data.success, true);
      const { user, token, refreshToken } = remember(res.data.data);
      assert.equal(typeof token, 'string');
      assert.match(token, /^eyJ[\w-]+\.[\w-]+\.[\w-]+$/);
      assert.equal(typeof refreshToken, 'string');
      assert.ok(refreshToken.length >= 32);
      assert.notEqual(refreshToken, token);

      assert.match(user._id, /^[0-9a-f]{24}$/);
      assert.equal(user.role, 'customer');
      assert.equal(user.email, account.email);
      assert.equal(user.phone, account.phone);
      assert.deepEqual(user.profile, { firstName: 'Asha', lastName: account.lastName, avatar: null, dateOfBirth: null });
      assert.deepEqual(user.addresses, []);
      assert.equal(user.isActive, true);
      assertUserHasNoSecrets(user);

      const { header, payload } = decodeJwt(token);
      assert.equal(header.alg, 'HS256');
      assert.equal(payload.userId, user._id);
      assert.equal(payload.email, account.email);
      assert.equal(payload.role, 'customer', 'the token carries the customer role, not the requested admin');
      assert.ok(payload.exp > payload.iat);

      const me = await api.get('/users/me', { ...bearer(token), transformResponse: (r) => r });
      assert.equal(me.status, 200);
      const text = me.data;
      assert.doesNotMatch(text, /password/i, 'GET /users/me mentions no password');
      assert.doesNotMatch(text, /\$argon2/, 'GET /users/me carries no hash');
      assert.doesNotMatch(text, /refresh/i, 'GET /users/me carries no refresh token');
      assert.doesNotMatch(text, /eyJ/, 'GET /users/me carries no JWT');
      const body = JSON.parse(text);
      assert.equal(body.success, true);
      assert.equal(body.data._id, user._id);
      assert.equal(body.data.role, 'customer');
      assert.equal(body.data.email, account.email);
      assert.equal(body.data.phone, account.phone);
      assert.equal(body.data.profile.firstName, 'Asha');
      assert.ok(Array.isArray(body.data.addresses));
      assert.equal(body.data.isActive, true);
    });

    test('login by e-mail (any case) and by phone; each login is a new session', async () => {
      const account = newAccount('login');
      const reg = await register(api, account);

      const byEmail = await login(api, { email: account.email.toUpperCase(), password: account.password });
      assert.equal(byEmail.user._id, reg.user._id);
      assert.equal(byEmail.user.role, 'customer');
      assertUserHasNoSecrets(byEmail.user);
      assert.ok(byEmail.user.lastLogin, 'lastLogin is set');

      const byPhone = await login(api, { phone: account.phone, password: account.password });
      assert.equal(byPhone.user._id, reg.user._id);
      assert.notEqual(byPhone.token, byEmail.token);
      assert.notEqual(byPhone.refreshToken, byEmail.refreshToken);
      assert.notEqual(decodeJwt(byPhone.token).payload.sid, decodeJwt(byEmail.token).payload.sid);

      for (const t of [reg.token, byEmail.token, byPhone.token]) {
        const me = await api.get('/users/me', bearer(t));
        assert.equal(me.status, 200);
        assert.equal(me.data.data._id, reg.user._id);
      }
    });

    test('PUT /users/me updates the profile; role cannot be changed; bad fields are 400', async () => {
      const account = newAccount('profile');
      const { token, user } = await register(api, account);
      const newEmail = `e2e.profile2.${uniq()}@example.test`;
      const newPhone = `+44${randomDigits(10)}`;
      const res = await api.put(
        '/users/me',
        {
          firstName: 'Ravi',
          lastName: 'Kumar',
          avatar: 'https://cdn.example.test/a.png',
          dateOfBirth: '1990-05-17T00:00:00Z',
          email: newEmail,
          phone: newPhone,
          role: 'admin',
          currentPassword: account.password,
        },
        bearer(token),
      );
      assert.equal(res.status, 200, JSON.stringify(res.data));
      const u = res.data.data;
      assert.equal(u._id, user._id);
      assert.equal(u.role, 'customer');
      assert.equal(u.email, newEmail);
      assert.equal(u.phone, newPhone);
      assert.equal(u.profile.firstName, 'Ravi');
      assert.equal(u.profile.lastName, 'Kumar');
      assert.equal(u.profile.avatar, 'https://cdn.example.test/a.png');
      assert.ok(u.profile.dateOfBirth && u.profile.dateOfBirth.startsWith('1990-05-17'));
      assertUserHasNoSecrets(u);

      const me = await api.get('/users/me', bearer(token));
      assert.equal(me.data.data.email, newEmail);
      assert.equal(me.data.data.role, 'customer');

      // The new e-mail signs in; the old one does not.
      await login(api, { email: newEmail, password: account.password });
      assertError(await api.post('/auth/login', { email: account.email, password: account.password }), 401, 'AUTHENTICATION_ERROR');

      assertFieldError(await api.put('/users/me', { avatar: 'ftp://x.example/a.png' }, bearer(token)), 'avatar');
      assertFieldError(await api.put('/users/me', { avatar: 'javascript:alert(1)' }, bearer(token)), 'avatar');
      assertFieldError(await api.put('/users/me', { firstName: '' }, bearer(token)), 'firstName');
      assertFieldError(await api.put('/users/me', { dateOfBirth: 'yesterday' }, bearer(token)), 'dateOfBirth');
      assertFieldError(await api.put('/users/me', { email: 'nope' }, bearer(token)), 'email');
      assertFieldError(await api.put('/users/me', { phone: '123' }, bearer(token)), 'phone');

      // Taking someone else's e-mail or phone is a conflict.
      const other = newAccount('profile-other');
      await register(api, other);
      const dupEmail = await api.put('/users/me', { email: other.email, currentPassword: account.password }, bearer(token));
      assertError(dupEmail, 409, 'DUPLICATE_ENTRY');
      assert.equal(dupEmail.data.error.details?.[0]?.field, 'email');
      const dupPhone = await api.put('/users/me', { phone: other.phone, currentPassword: account.password }, bearer(token));
      // A token alone does not change the e-mail or phone (issue 20): the current password is asked.
      assertFieldError(await api.put('/users/me', { email: 'someone-else@example.test' }, bearer(token)), 'currentPassword');
      assert.equal((await api.get('/users/me', bearer(token))).data.data.email, newEmail);
      assertError(dupPhone, 409, 'DUPLICATE_ENTRY');
      assert.equal(dupPhone.data.error.details?.[0]?.field, 'phone');
      assertError(await api.put('/users/me', { firstName: 'X' }), 401, 'AUTHENTICATION_ERROR');
    });
  });

  describe('bad paths', () => {
    test('duplicate e-mail (in any case) or phone -> 409 DUPLICATE_ENTRY naming the field', async () => {
      const account = newAccount('dup');
      await register(api, account);

      const dupEmail = await api.post('/auth/register', {
        ...newAccount('dup2'),
        email: account.email.toUpperCase(),
      });
      assertError(dupEmail, 409, 'DUPLICATE_ENTRY');
      assert.equal(dupEmail.data.error.details?.[0]?.field, 'email', JSON.stringify(dupEmail.data));

      // The stored e-mail is normalised to lower case.
      const mixed = newAccount('dupmixed');
      const created = await register(api, { ...mixed, email: mixed.email.replace('e2e.', 'E2E.') });
      assert.equal(created.user.email, mixed.email);

      const dupPhone = await api.post('/auth/register', { ...newAccount('dup3'), phone: account.phone });
      assertError(dupPhone, 409, 'DUPLICATE_ENTRY');
      assert.equal(dupPhone.data.error.details?.[0]?.field, 'phone', JSON.stringify(dupPhone.data));
    });

    test('invalid registration input -> 400 VALIDATION_ERROR with field details', async () => {
      const cases = [
        [{ email: 'not-an-email' }, 'email'],
        [{ email: 'a@b' }, 'email'],
        [{ email: 'two@@example.test' }, 'email'],
        [{ phone: '12345' }, 'phone'],
        [{ phone: 'abcdefghijkl' }, 'phone'],
        [{ phone: '+1234567890123456' }, 'phone'],
        [{ password: 'Ab1!xyz' }, 'password'], // 7 characters
        [{ password: 'password123' }, 'password'], // breached
        [{ password: 'PASSWORD123' }, 'password'], // breached, any case
        [{ password: 'A1!'.repeat(43) }, 'password'], // 129 characters
        [{ firstName: '' }, 'firstName'],
        [{ firstName: undefined }, 'firstName'],
        [{ email: undefined }, 'email'],
        [{ password: undefined }, 'password'],
        [{ firstName: 'x'.repeat(51) }, 'firstName'],
      ];
      for (const [override, field] of cases) {
        if (typeof override.password === 'string') secrets.add(override.password);
        const body = { ...newAccount('invalid'), ...override };
        for (const k of Object.keys(body)) if (body[k] === undefined) delete body[k];
        const res = await api.post('/auth/register', body);
        assertFieldError(res, field);
      }

      // Several problems at once are all reported.
      const many = await api.post('/auth/register', { ...newAccount('many'), email: 'bad', phone: 'bad' });
      assertError(many, 400, 'VALIDATION_ERROR');
      assert.ok(fieldsOf(many).includes('email') && fieldsOf(many).includes('phone'), JSON.stringify(many.data));

      // A body that is not JSON.
      const notJson = await api.post('/auth/register', '{"email":', { headers: { 'Content-Type': 'application/json' } });
      assert.equal(notJson.status, 400);
      assert.equal(notJson.data.success, false);
    });

    test('wrong password and unknown account -> the same 401 AUTHENTICATION_ERROR', async () => {
      const account = newAccount('wrongpw');
      await register(api, account);
      const wrong = await api.post('/auth/login', { email: account.email, password: password() });
      assertError(wrong, 401, 'AUTHENTICATION_ERROR');
      const unknown = await api.post('/auth/login', { email: `nobody.${uniq()}@example.test`, password: password() });
      assertError(unknown, 401, 'AUTHENTICATION_ERROR');
      assert.equal(wrong.data.error.message, unknown.data.error.message, 'no account enumeration via the message');
      const missing = await api.post('/auth/login', { password: password() });
      assertError(missing, 400, 'VALIDATION_ERROR');
    });

    test('no token -> 401 AUTHENTICATION_ERROR', async () => {
      assertError(await api.get('/users/me'), 401, 'AUTHENTICATION_ERROR');
      assertError(await api.get('/users/me', { headers: { Authorization: 'Basic dXNlcjpwYXNz' } }), 401, 'AUTHENTICATION_ERROR');
      assertError(await api.post('/auth/logout'), 401, 'AUTHENTICATION_ERROR');
      assertError(await api.post('/users/me/addresses', { street: 'x', city: 'y' }), 401, 'AUTHENTICATION_ERROR');
    });

    test('forged, tampered, alg "none" and garbage tokens -> 401 INVALID_TOKEN', async () => {
      const { token, user } = await register(api, newAccount('forged'));
      assert.equal((await api.get('/users/me', bearer(token))).status, 200);
      const { header, payload } = decodeJwt(token);
      const [h, p, s] = token.split('.');

      const forgeries = {
        'one signature character changed': tamperSignature(token),
        'signature dropped': `${h}.${p}.`,
        'alg none, no signature': `${b64url({ alg: 'none', typ: 'JWT' })}.${p}.`,
        'alg none, original signature': `${b64url({ alg: 'none', typ: 'JWT' })}.${p}.${s}`,
        'alg None, no signature': `${b64url({ alg: 'None', typ: 'JWT' })}.${p}.`,
        'payload changed to admin, original signature': `${h}.${b64url({ ...payload, role: 'admin' })}.${s}`,
        'signed with another secret': signHs256(header, payload, 'not-the-server-secret-0123456789abcdef'),
        'HS512 header': signHs256({ alg: 'HS512', typ: 'JWT' }, payload, JWT_SECRET),
        'garbage': 'abc',
        'two parts': `${h}.${p}`,
        'four parts': `${token}.x`,
      };
      for (const [name, forged] of Object.entries(forgeries)) {
        const res = await api.get('/users/me', bearer(forged));
        assert.equal(res.status, 401, `${name}: ${res.status} ${JSON.stringify(res.data)}`);
        assert.equal(res.data.error.code, 'INVALID_TOKEN', `${name}: ${JSON.stringify(res.data)}`);
        assert.doesNotMatch(JSON.stringify(res.data), new RegExp(user.email.replace(/\./g, '\\.')), 'no claims echoed');
      }

      // A correctly signed token for a session that does not exist is refused too.
      const noSession = signHs256(header, { ...payload, sid: 'no-such-session' }, JWT_SECRET);
      assert.equal((await api.get('/users/me', bearer(noSession))).status, 401);
      // And for someone else's id inside a real session.
      const otherUser = signHs256(header, { ...payload, userId: 'aaaaaaaaaaaaaaaaaaaaaaaa' }, JWT_SECRET);
      assert.equal((await api.get('/users/me', bearer(otherUser))).status, 401);

      // The genuine token still works.
      assert.equal((await api.get('/users/me', bearer(token))).status, 200);
    });
  });

  describe('refresh tokens and logout', () => {
    test('refresh rotates both tokens; the new access token works', async () => {
      const { token, refreshToken, user } = await register(api, newAccount('rotate'));
      const res = await refresh(api, refreshToken);
      assert.equal(res.status, 200, JSON.stringify(res.data));
      assert.equal(res.data.success, true);
      const next = res.data.data;
      assert.deepEqual(Object.keys(next).sort(), ['refreshToken', 'token']);
      assert.notEqual(next.refreshToken, refreshToken);
      // (The access token may equal the old one: same session, same claims and same second.)
      assert.equal(decodeJwt(next.token).payload.sid, decodeJwt(token).payload.sid, 'same session');
      const me = await api.get('/users/me', bearer(next.token));
      assert.equal(me.status, 200);
      assert.equal(me.data.data._id, user._id);

      // Rotation can go on.
      const again = await refresh(api, next.refreshToken);
      assert.equal(again.status, 200);
    });

    test('a reused refresh token -> 401 INVALID_TOKEN and the whole session is revoked', async () => {
      const account = newAccount('reuse');
      const { refreshToken: r1 } = await register(api, account);
      const other = await login(api, { email: account.email, password: account.password }); // a second session

      const first = await refresh(api, r1);
      assert.equal(first.status, 200);
      const { token: t2, refreshToken: r2 } = first.data.data;
      assert.equal((await api.get('/users/me', bearer(t2))).status, 200);

      const reuse = await refresh(api, r1);
      assertError(reuse, 401, 'INVALID_TOKEN');

      // The newest tokens of that session are dead too.
      assert.equal((await api.get('/users/me', bearer(t2))).status, 401, 'the newest access token is revoked');
      assertError(await refresh(api, r2), 401, 'INVALID_TOKEN');

      // Another session of the same user is untouched.
      assert.equal((await api.get('/users/me', bearer(other.token))).status, 200);
      assert.equal((await refresh(api, other.refreshToken)).status, 200);
    });

    test('parallel refreshes with one token -> exactly one 200 (10 rounds of 2, then 5 at once)', async () => {
      // (A fresh account per round: logins are rate-limited per account.)
      for (const n of [2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 5]) {
        const { refreshToken } = await register(api, newAccount('parallel'));
        const results = await Promise.all(Array.from({ length: n }, () => refresh(api, refreshToken)));
        const statuses = results.map((r) => r.status).sort();
        assert.deepEqual(statuses, [200, ...Array(n - 1).fill(401)], JSON.stringify(results.map((r) => r.data)));
        for (const loser of results.filter((r) => r.status === 401)) assertError(loser, 401, 'INVALID_TOKEN');
      }
    });

    test('garbage or missing refresh token -> 401 / 400', async () => {
      assertError(await refresh(api, 'definitely-not-a-refresh-token'), 401, 'INVALID_TOKEN');
      assertError(await refresh(api, crypto.randomBytes(32).toString('base64url')), 401, 'INVALID_TOKEN');
      assertFieldError(await api.post('/auth/refresh-token', {}), 'refreshToken');
      // An access token is not a refresh token.
      const { token } = await register(api, newAccount('acc-as-refresh'));
      assertError(await refresh(api, token), 401, 'INVALID_TOKEN');
    });

    test('logout ends the session at once: access token 401, refresh token 401', async () => {
      const account = newAccount('logout');
      const { token, refreshToken } = await register(api, account);
      const other = await login(api, { email: account.email, password: account.password });
      assert.equal((await api.get('/users/me', bearer(token))).status, 200, 'cached session first');

      const out = await api.post('/auth/logout', null, bearer(token));
      assert.equal(out.status, 200, JSON.stringify(out.data));
      assert.equal(out.data.success, true);

      const after = await api.get('/users/me', bearer(token));
      assert.equal(after.status, 401);
      assert.equal(after.data.success, false);
      assertError(await refresh(api, refreshToken), 401, 'INVALID_TOKEN');
      assert.equal((await api.post('/auth/logout', null, bearer(token))).status, 401, 'logout twice');

      // Only that session: the other device stays signed in.
      assert.equal((await api.get('/users/me', bearer(other.token))).status, 200);
    });
  });

  describe('forgot and reset password', () => {
    const codeFrom = (entry) => {
      const m = /choose a new password: (\S+)\n/.exec(entry.body ?? '');
      assert.ok(m, `reset code in the e-mail body: ${JSON.stringify(entry)}`);
      return m[1];
    };

    test('the code from the e-mail resets the password once and signs out every session', async () => {
      const account = newAccount('reset');
      const a = await register(api, account);
      const b = await login(api, { phone: account.phone, password: account.password });

      // Unknown e-mail first: same answer, and no e-mail is sent.
      const unknownEmail = `nobody.${uniq()}@example.test`;
      const unknown = await api.post('/auth/forgot-password', { email: unknownEmail });
      assert.equal(unknown.status, 200, JSON.stringify(unknown.data));

      const known = await api.post('/auth/forgot-password', { email: account.email.toUpperCase() });
      assert.equal(known.status, 200, JSON.stringify(known.data));
      const shape = (r) => ({ success: r.data.success, data: r.data.data, metaKeys: Object.keys(r.data.meta ?? {}).sort() });
      assert.deepEqual(shape(unknown), shape(known), 'identical answer whether or not the e-mail exists');
      assert.equal(typeof known.data.data.message, 'string');
      assert.doesNotMatch(JSON.stringify(known.data), /[A-Za-z0-9_-]{32,}/, 'the code is not in the response');

      const [mail] = await mailsTo(server, account.email, 1);
      await logBarrier(server);
      // The known address's mail went out, and everything logged until now has been read: nothing
      // went to the unknown address (its request queued no mail at all).
      assert.equal(server.findLogs((e) => e.msg === 'email (log outbox)' && e.to === unknownEmail).length, 0);
      const code = codeFrom(mail);
      assert.ok(code.length >= 16, 'the code is long enough not to be guessed');

      // A rejected new password does not use the code up.
      secrets.add('password123');
      assertFieldError(await api.post('/auth/reset-password', { token: code, password: 'password123' }), 'password');
      assertFieldError(await api.post('/auth/reset-password', { token: code, password: 'short' }), 'password');
      assertFieldError(await api.post('/auth/reset-password', { token: `${code}x`, password: password() }), 'token');

      const newPassword = password();
      const reset = await api.post('/auth/reset-password', { token: code, password: newPassword });
      assert.equal(reset.status, 200, JSON.stringify(reset.data));
      assert.equal(reset.data.success, true);

      // Single use.
      const again = await api.post('/auth/reset-password', { token: code, password: password() });
      assertFieldError(again, 'token');

      // Every earlier session is gone.
      for (const s of [a, b]) {
        assert.equal((await api.get('/users/me', bearer(s.token))).status, 401, 'access token revoked');
        assertError(await refresh(api, s.refreshToken), 401, 'INVALID_TOKEN');
      }

      // The old password is dead, the new one works, and the new session is fine.
      assertError(await api.post('/auth/login', { email: account.email, password: account.password }), 401, 'AUTHENTICATION_ERROR');
      const fresh = await login(api, { email: account.email, password: newPassword });
      assert.equal(fresh.user._id, a.user._id);
      assert.equal((await api.get('/users/me', bearer(fresh.token))).status, 200);
    });

    test('a second forgot-password issues a new code; forgot-password validates the e-mail', async () => {
      const account = newAccount('reset2');
      await register(api, account);
      await api.post('/auth/forgot-password', { email: account.email });
      await api.post('/auth/forgot-password', { email: account.email });
      const mails = await mailsTo(server, account.email, 2);
      assert.equal(mails.length, 2);
      const [c1, c2] = mails.map(codeFrom);
      assert.notEqual(c1, c2);
      const p = password();
      assert.equal((await api.post('/auth/reset-password', { token: c2, password: p })).status, 200);
      await login(api, { email: account.email, password: p });

      assertFieldError(await api.post('/auth/forgot-password', { email: 'not-an-email' }), 'email');
      assertFieldError(await api.post('/auth/forgot-password', {}), 'email');
    });
  });

  describe('addresses', () => {
    const defaults = (list) => list.filter((a) => a.isDefault);

    test('first address is the default; a second with isDefault takes over; exactly one default', async () => {
      const { token } = await register(api, newAccount('addr'));
      const home = await api.post(
        '/users/me/addresses',
        { type: 'home', street: '12 MG Road', city: 'Bengaluru', state: 'KA', zipCode: '560001', coordinates: [77.5946, 12.9716] },
        bearer(token),
      );
      assert.equal(home.status, 201, JSON.stringify(home.data));
      let list = home.data.data.addresses;
      assert.equal(list.length, 1);
      const homeId = list[0]._id;
      assert.match(homeId, /^[0-9a-f]{24}$/);
      assert.equal(list[0].isDefault, true, 'the first address becomes the default');
      assert.equal(list[0].type, 'home');
      assert.equal(list[0].street, '12 MG Road');
      assert.equal(list[0].city, 'Bengaluru');
      assert.equal(list[0].state, 'KA');
      assert.equal(list[0].zipCode, '560001');
      assert.deepEqual(list[0].coordinates, { type: 'Point', coordinates: [77.5946, 12.9716] });

      const second = await api.post(
        '/users/me/addresses',
        { type: 'other', street: '3 Park St', city: 'Kolkata', coordinates: [88.3639, 22.5726] },
        bearer(token),
      );
      assert.equal(second.status, 201);
      list = second.data.data.addresses;
      assert.equal(list.length, 2);
      assert.equal(defaults(list).length, 1);
      assert.equal(defaults(list)[0]._id, homeId, 'a non-default addition keeps the default');

      const work = await api.post(
        '/users/me/addresses',
        { type: 'work', street: '1 Cyber City', city: 'Gurugram', coordinates: [77.0888, 28.4949], isDefault: true },
        bearer(token),
      );
      assert.equal(work.status, 201);
      list = work.data.data.addresses;
      assert.equal(list.length, 3);
      assert.equal(defaults(list).length, 1, `exactly one default: ${JSON.stringify(list)}`);
      const workId = list.find((a) => a.street === '1 Cyber City')._id;
      assert.equal(defaults(list)[0]._id, workId);

      const me = await api.get('/users/me', bearer(token));
      assert.equal(me.data.data.addresses.length, 3);
      assert.equal(defaults(me.data.data.addresses).length, 1);

      // PUT: make home the default again; change a field.
      const put = await api.put(`/users/me/addresses/${homeId}`, { isDefault: true, street: '14 MG Road' }, bearer(token));
      assert.equal(put.status, 200, JSON.stringify(put.data));
      list = put.data.data.addresses;
      assert.equal(defaults(list).length, 1);
      assert.equal(defaults(list)[0]._id, homeId);
      assert.equal(list.find((a) => a._id === homeId).street, '14 MG Road');

      // Un-defaulting the only default still leaves exactly one default.
      const undefault = await api.put(`/users/me/addresses/${homeId}`, { isDefault: false }, bearer(token));
      assert.equal(undefault.status, 200);
      assert.equal(defaults(undefault.data.data.addresses).length, 1);

      // DELETE the default: another becomes default.
      const currentDefault = defaults(undefault.data.data.addresses)[0]._id;
      const del = await api.delete(`/users/me/addresses/${currentDefault}`, bearer(token));
      assert.equal(del.status, 200, JSON.stringify(del.data));
      list = del.data.data.addresses;
      assert.equal(list.length, 2);
      assert.ok(!list.some((a) => a._id === currentDefault));
      assert.equal(defaults(list).length, 1);
      assertError(await api.delete(`/users/me/addresses/${currentDefault}`, bearer(token)), 404, 'NOT_FOUND');
    });

    test('invalid addresses -> 400 with field details', async () => {
      const { token } = await register(api, newAccount('addr-bad'));
      const base = { type: 'home', street: '1 Main St', city: 'Pune' };
      const cases = [
        [{ coordinates: [181, 10] }, 'coordinates[0]'],
        [{ coordinates: [-180.5, 10] }, 'coordinates[0]'],
        [{ coordinates: [10, 91] }, 'coordinates[1]'],
        [{ coordinates: [10, -90.01] }, 'coordinates[1]'],
        [{ coordinates: [10] }, 'coordinates'],
        [{ coordinates: ['10', '20'] }, 'coordinates'],
        [{ coordinates: 'here' }, 'coordinates'],
        [{ type: 'castle' }, 'type'],
        [{ street: '' }, 'street'],
        [{ street: undefined }, 'street'],
        [{ city: undefined }, 'city'],
        [{ isDefault: 'yes' }, 'isDefault'],
      ];
      for (const [override, field] of cases) {
        const body = { ...base, ...override };
        for (const k of Object.keys(body)) if (body[k] === undefined) delete body[k];
        assertFieldError(await api.post('/users/me/addresses', body, bearer(token)), field);
      }
      // GeoJSON input is range-checked too.
      assertFieldError(
        await api.post('/users/me/addresses', { ...base, coordinates: { type: 'Point', coordinates: [10, 100] } }, bearer(token)),
        'coordinates[1]',
      );
      // Both out of range: both reported.
      const both = await api.post('/users/me/addresses', { ...base, coordinates: [200, 100] }, bearer(token));
      assertError(both, 400, 'VALIDATION_ERROR');
      assert.ok(fieldsOf(both).includes('coordinates[0]') && fieldsOf(both).includes('coordinates[1]'));
      // Edges are fine.
      const edge = await api.post('/users/me/addresses', { ...base, coordinates: [-180, 90] }, bearer(token));
      assert.equal(edge.status, 201, JSON.stringify(edge.data));
      const id = edge.data.data.addresses[0]._id;
      assertFieldError(await api.put(`/users/me/addresses/${id}`, { coordinates: [0, 95] }, bearer(token)), 'coordinates[1]');
      const me = await api.get('/users/me', bearer(token));
      assert.equal(me.data.data.addresses.length, 1, 'nothing invalid was stored');
      assert.deepEqual(me.data.data.addresses[0].coordinates.coordinates, [-180, 90]);

      // GeoJSON input is accepted; at most 20 addresses per account.
      const geo = await api.post('/users/me/addresses', { ...base, coordinates: { type: 'Point', coordinates: [73.8567, 18.5204] } }, bearer(token));
      assert.equal(geo.status, 201, JSON.stringify(geo.data));
      assert.deepEqual(geo.data.data.addresses.at(-1).coordinates, { type: 'Point', coordinates: [73.8567, 18.5204] });
      for (let n = 3; n <= 20; n++) assert.equal((await api.post('/users/me/addresses', base, bearer(token))).status, 201);
      const tooMany = await api.post('/users/me/addresses', base, bearer(token));
      assertFieldError(tooMany, 'addresses');
      const full = await api.get('/users/me', bearer(token));
      assert.equal(full.data.data.addresses.length, 20);
      assert.equal(full.data.data.addresses.filter((a) => a.isDefault).length, 1);
    });

    test("another user's address -> 404 for PUT and DELETE, and it is left untouched", async () => {
      const alice = await register(api, newAccount('alice'));
      const bob = await register(api, newAccount('bob'));
      const res = await api.post('/users/me/addresses', { type: 'home', street: 'Alice St 1', city: 'Delhi' }, bearer(alice.token));
      assert.equal(res.status, 201);
      const aliceAddr = res.data.data.addresses[0]._id;

      assertError(await api.put(`/users/me/addresses/${aliceAddr}`, { street: 'Bob was here' }, bearer(bob.token)), 404, 'NOT_FOUND');
      assertError(await api.delete(`/users/me/addresses/${aliceAddr}`, bearer(bob.token)), 404, 'NOT_FOUND');
      assertError(await api.put('/users/me/addresses/not-an-id', { street: 'x' }, bearer(bob.token)), 404, 'NOT_FOUND');
      assertError(await api.delete('/users/me/addresses/000000000000000000000000', bearer(bob.token)), 404, 'NOT_FOUND');

      const aliceMe = await api.get('/users/me', bearer(alice.token));
      assert.equal(aliceMe.data.data.addresses.length, 1);
      assert.equal(aliceMe.data.data.addresses[0].street, 'Alice St 1');
      const bobMe = await api.get('/users/me', bearer(bob.token));
      assert.deepEqual(bobMe.data.data.addresses, []);
    });
  });

  describe('login rate limit (AUTH_RATE_LIMIT_MAX default 5 per 15 min per IP + account)', () => {
    test('the 6th attempt -> 429 RATE_LIMITED with an integer Retry-After and RateLimit headers', async () => {
      const account = newAccount('ratelimit');
      await register(api, account);
      for (let i = 1; i <= 5; i++) {
        const res = await api.post('/auth/login', { email: account.email, password: password() });
        assertError(res, 401, 'AUTHENTICATION_ERROR');
      }
      // Even the right password is refused now.
      const limited = await api.post('/auth/login', { email: account.email, password: account.password });
      assertError(limited, 429, 'RATE_LIMITED');
      const retryAfter = limited.headers['retry-after'];
      assert.match(retryAfter ?? '', /^\d+$/, `Retry-After is an integer number of seconds: ${retryAfter}`);
      assert.ok(Number(retryAfter) >= 1 && Number(retryAfter) <= 900, `Retry-After ${retryAfter} within the 15 min window`);
      assert.ok(limited.headers['ratelimit-policy'], 'RateLimit-Policy header');
      assert.ok(limited.headers.ratelimit, 'RateLimit header');
      assert.match(limited.headers.ratelimit, /limit=\d+, remaining=\d+, reset=\d+/);

      // The same account spelt differently is the same account.
      assertError(await api.post('/auth/login', { email: account.email.toUpperCase(), password: account.password }), 429, 'RATE_LIMITED');

      // Another account from the same IP is not affected.
      const other = newAccount('ratelimit-other');
      await register(api, other);
      await login(api, { email: other.email, password: other.password });
    });

    test('rotating source addresses does not get around the per-account cap', async () => {
      const account = newAccount('ratelimit-ips');
      await register(api, account);
      const attempt = (ip) => {
        const agent = new http.Agent({ localAddress: ip });
        return api
          .post('/auth/login', { email: account.email, password: password() }, { httpAgent: agent })
          .finally(() => agent.destroy());
      };
      // 5 addresses x 4 attempts: under the per-IP limit each time.
      const statuses = [];
      for (let n = 2; n <= 6; n++) for (let i = 0; i < 4; i++) statuses.push((await attempt(`127.0.0.${n}`)).status);
      assert.ok(statuses.every((s) => s === 401), `every attempt reached the password check: ${statuses}`);
      const limited = await attempt('127.0.0.7');
      assertError(limited, 429, 'RATE_LIMITED');
      assert.match(limited.headers['retry-after'] ?? '', /^\d+$/);
    });
  });

  describe('login rate limit: spellings of the same account', () => {
    // The limiter keys on the login string as sent (lower-cased), while the lookup normalises it
    // (e-mail: trims spaces/tabs; phone: drops spaces and dashes; a string without "@" in the
    // "email" field is looked up as a phone). So every spelling gets its own budget.
    test('whitespace and phone-format variants of one identifier share one budget', async () => {
      const account = newAccount('ratelimit-spell');
      await register(api, account);
      const digits = account.phone.slice(1);
      const variants = [
        { email: account.email },
        { email: ` ${account.email}` },
        { email: `${account.email} ` },
        { email: `\t${account.email}` },
        { email: `  ${account.email}` },
        { email: `+${digits.slice(0, 2)}-${digits.slice(2)}` },
        { email: `+${digits.slice(0, 2)} ${digits.slice(2)}` },
      ];
      const statuses = [];
      for (const v of variants) statuses.push((await api.post('/auth/login', { ...v, password: password() })).status);
      assert.deepEqual(
        statuses,
        [401, 401, 401, 401, 401, 429, 429],
        `attempts 6 and 7 are spellings of an account that already had 5 failures: ${statuses}`,
      );
    });

    test('e-mail and phone of one account share one budget (the limit is per IP + account)', async () => {
      const account = newAccount('ratelimit-both');
      await register(api, account);
      const statuses = [];
      for (let i = 0; i < 5; i++) statuses.push((await api.post('/auth/login', { email: account.email, password: password() })).status);
      statuses.push((await api.post('/auth/login', { phone: account.phone, password: password() })).status);
      assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429], `the 6th attempt on the account, by phone: ${statuses}`);
    });
  });

  test('server exits 0 after the auth and users run', async () => {
    await stopAndCheck(server);
  });
});

describe('absurd claims in a correctly signed token', () => {
  // Only someone holding JWT_SECRET can produce these, but the verifier must still not misbehave.
  test('exp near 2^63 is refused with 401 and the server keeps running', async () => {
    const server = await start();
    const api = client(server);
    const { token } = await register(api, newAccount('bigexp'));
    const { header, payload } = decodeJwt(token);
    const signRaw = (payloadJson) => {
      const input = `${b64url(header)}.${b64url(payloadJson)}`;
      return `${input}.${crypto.createHmac('sha256', JWT_SECRET).update(input).digest('base64url')}`;
    };
    const base = JSON.stringify({ ...payload, exp: 0 });
    for (const exp of ['9223372036854775807', '9223372036854775790', '1e300', '-9223372036854775808', '"soon"']) {
      const t = signRaw(base.replace('"exp":0', `"exp":${exp}`));
      let res;
      try {
        res = await api.get('/users/me', bearer(t));
      } catch (err) {
        assert.fail(`exp ${exp}: no HTTP answer (${err.code}); server exit ${JSON.stringify(server.exit)}; stderr: ${server.stderr.slice(-1000)}`);
      }
      assert.ok([200, 401].includes(res.status), `exp ${exp}: ${res.status}`);
    }
    assert.equal((await axios.get(`${server.baseUrl}/health`, { timeout: 10_000 })).status, 200);
    await stopAndCheck(server);
  });
});

describe('general API rate limit', () => {
  test('RATE_LIMIT_MAX requests per window on /api/, then 429 with Retry-After; RateLimit headers on every answer', async () => {
    const server = await start({ RATE_LIMIT_MAX: '3' });
    const api = client(server);
    for (let i = 1; i <= 3; i++) {
      const res = await api.get('/users/me');
      assertError(res, 401, 'AUTHENTICATION_ERROR');
      assert.equal(res.headers['ratelimit-policy'], '3;w=900');
      assert.match(res.headers.ratelimit, new RegExp(`^limit=3, remaining=${3 - i}, reset=\\d+$`));
    }
    const limited = await api.get('/users/me');
    assertError(limited, 429, 'RATE_LIMITED');
    assert.match(limited.headers['retry-after'] ?? '', /^\d+$/);
    assert.ok(Number(limited.headers['retry-after']) <= 900);
    assert.match(limited.headers.ratelimit, /^limit=3, remaining=0, reset=\d+$/);
    // Login is an /api/ path too.
    assertError(await api.post('/auth/login', { email: 'x@example.test', password: password() }), 429, 'RATE_LIMITED');
    // /health is not under /api/.
    assert.equal((await axios.get(`${server.baseUrl}/health`)).status, 200);
    await stopAndCheck(server);
  });
});

describe('log hygiene', () => {
  test('no server log line of this run contains a JWT, a password or a refresh token', () => {
    assert.ok(servers.length >= 3);
    assert.ok(secrets.size > 20 && accessTokens.size > 10, 'the run did collect secrets to look for');
    for (const s of servers) {
      const text = `${s.lines.join('\n')}\n${s.stderr}`;
      assert.ok(s.lines.length > 0);
      assert.ok(!text.includes('eyJ'), `a JWT-looking "eyJ" is in the log of server :${s.port}`);
      for (const t of accessTokens) assert.ok(!text.includes(t.split('.')[2]), 'an access-token signature is in the log');
      for (const secret of secrets) assert.ok(!text.includes(secret), `a password or refresh token is in the log: ${secret.slice(0, 4)}…`);
    }
    // The reset e-mails are the only place a reset code may appear, and they did appear.
    assert.ok(servers.some((s) => s.findLogs('email (log outbox)').length >= 3));
  });
});
