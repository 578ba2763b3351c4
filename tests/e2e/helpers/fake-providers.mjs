// Local stand-ins for the SaaS the server talks to, each speaking the provider's real protocol:
//   startSmtp()        an SMTP server (the smtp-server package) that keeps every message
//   startHangingSmtp() accepts TCP connections and never answers: a provider that hangs mid-send
//   startFakeTwilio()  Twilio's Messages API: Basic auth, form-encoded To/From/Body, 201 with a sid
//   startFakeFcm()     Google's OAuth token endpoint (checks the RS256-signed JWT against the
//                      service account's public key) and FCM HTTP v1 messages:send (Bearer token)
import crypto from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import { once } from 'node:events';
import { SMTPServer } from 'smtp-server';

export async function startSmtp({ port = 0 } = {}) {
  const messages = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      let raw = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk) => { raw += chunk; });
      stream.on('end', () => {
        messages.push({ from: session.envelope.mailFrom.address, to: session.envelope.rcptTo.map((r) => r.address), raw, ...parseMail(raw) });
        callback();
      });
    },
  });
  await new Promise((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const actual = server.server.address().port;
  return { port: actual, url: `smtp://127.0.0.1:${actual}`, messages, close: () => new Promise((r) => server.close(r)) };
}

// Headers (lower-case names) and body of an RFC 5322 message.
export function parseMail(raw) {
  const split = raw.indexOf('\r\n\r\n');
  const headers = {};
  for (const line of raw.slice(0, split).split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { headers, body: raw.slice(split + 4) };
}

export async function startHangingSmtp({ port = 0 } = {}) {
  const sockets = new Set();
  let connections = 0;
  const server = net.createServer((socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
  });
  server.listen(port, '127.0.0.1');
  await once(server, 'listening');
  const actual = server.address().port;
  return {
    port: actual,
    url: `smtp://127.0.0.1:${actual}`,
    connections: () => connections,
    close: async () => {
      for (const s of sockets) s.destroy();
      server.close();
      await once(server, 'close');
    },
  };
}

function reply(res, status, body) {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

function readBody(req) {
  return new Promise((resolve) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c) => { body += c; });
    req.on('end', () => resolve(body));
  });
}

async function listen(server) {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${server.address().port}`;
}

export async function startFakeTwilio({ accountSid, authToken, failFirst = 0 }) {
  const accepted = [];
  const log = []; // every well-formed attempt: { to, at }
  const perNumber = new Map();
  const server = http.createServer(async (req, res) => {
    const body = await readBody(req);
    const m = req.url.match(/^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/);
    if (req.method !== 'POST' || !m || m[1] !== accountSid) return reply(res, 404, { code: 20404, message: 'The requested resource was not found' });
    if (req.headers.authorization !== `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`)
      return reply(res, 401, { code: 20003, message: 'Authenticate' });
    if (!String(req.headers['content-type']).startsWith('application/x-www-form-urlencoded'))
      return reply(res, 400, { code: 20001, message: 'form encoding expected' });
    const form = Object.fromEntries(new URLSearchParams(body));
    log.push({ to: form.To, at: Date.now() });
    const tries = (perNumber.get(form.To) ?? 0) + 1;
    perNumber.set(form.To, tries);
    // The first failFirst attempts for each number fail, as during an outage.
    if (tries <= failFirst) return reply(res, 503, { code: 20500, message: 'Service Unavailable' });
    if (!/^\+[1-9]\d{7,14}$/.test(form.To ?? '')) return reply(res, 400, { code: 21211, message: "The 'To' number is not a valid phone number." });
    const sid = `SM${crypto.randomBytes(16).toString('hex')}`;
    accepted.push({ sid, ...form });
    return reply(res, 201, { sid, status: 'queued', to: form.To, from: form.From, body: form.Body });
  });
  const url = await listen(server);
  return { url, accepted, log, close: () => new Promise((r) => server.close(r)) };
}

// A service account whose key pair is made here; the file is what FCM_CREDENTIALS_FILE points at.
export function serviceAccount(tokenUri) {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    publicKey,
    json: {
      type: 'service_account',
      project_id: 'tiptop-e2e',
      client_email: 'push@tiptop-e2e.iam.gserviceaccount.com',
      private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }),
      token_uri: tokenUri,
    },
  };
}

export async function startFakeFcm({ unregistered = new Set() } = {}) {
  const delivered = [];
  const issued = new Set();
  let account; // set by setAccount once the token URI is known
  const server = http.createServer(async (req, res) => {
    const body = await readBody(req);
    if (req.method === 'POST' && req.url === '/token') {
      const form = Object.fromEntries(new URLSearchParams(body));
      if (form.grant_type !== 'urn:ietf:params:oauth:grant-type:jwt-bearer') return reply(res, 400, { error: 'unsupported_grant_type' });
      const [h, c, s] = String(form.assertion).split('.');
      const header = JSON.parse(Buffer.from(h ?? '', 'base64url').toString() || '{}');
      const claims = JSON.parse(Buffer.from(c ?? '', 'base64url').toString() || '{}');
      const valid = header.alg === 'RS256' &&
        crypto.verify('RSA-SHA256', Buffer.from(`${h}.${c}`), account.publicKey, Buffer.from(s ?? '', 'base64url')) &&
        claims.iss === account.json.client_email && claims.aud === account.json.token_uri &&
        String(claims.scope).includes('https://www.googleapis.com/auth/firebase.messaging') &&
        claims.exp > Date.now() / 1000 && claims.exp - claims.iat <= 3600;
      if (!valid) return reply(res, 400, { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' });
      const token = `ya29.${crypto.randomBytes(16).toString('hex')}`;
      issued.add(token);
      return reply(res, 200, { access_token: token, expires_in: 3599, token_type: 'Bearer' });
    }
    const m = req.url.match(/^\/v1\/projects\/([^/]+)\/messages:send$/);
    if (req.method !== 'POST' || !m) return reply(res, 404, { error: { code: 404, status: 'NOT_FOUND', message: 'no such method' } });
    const bearer = String(req.headers.authorization ?? '').replace(/^Bearer /, '');
    if (!issued.has(bearer)) return reply(res, 401, { error: { code: 401, status: 'UNAUTHENTICATED' } });
    if (m[1] !== account.json.project_id) return reply(res, 403, { error: { code: 403, status: 'PERMISSION_DENIED' } });
    const { message } = JSON.parse(body);
    if (unregistered.has(message.token))
      return reply(res, 404, { error: { code: 404, status: 'NOT_FOUND', message: 'Requested entity was not found.',
        details: [{ '@type': 'type.googleapis.com/google.firebase.fcm.v1.FcmError', errorCode: 'UNREGISTERED' }] } });
    const name = `projects/${m[1]}/messages/${delivered.length + 1}`;
    delivered.push({ name, ...message });
    return reply(res, 200, { name });
  });
  const url = await listen(server);
  account = serviceAccount(`${url}/token`);
  return { url, account: account.json, delivered, issued, close: () => new Promise((r) => server.close(r)) };
}
