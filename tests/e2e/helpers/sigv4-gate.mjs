// An S3 front door that checks AWS Signature Version 4 the way S3 does, then passes the request
// on to s3rver (which stores objects faithfully but does not verify V4 signatures itself).
// Written from the AWS SigV4 specification: canonical request, string to sign, derived key.
import crypto from 'node:crypto';
import http from 'node:http';
import { once } from 'node:events';

const sha256 = (data) => crypto.createHash('sha256').update(data).digest('hex');
const hmac = (key, data) => crypto.createHmac('sha256', key).update(data).digest();

function canonicalUri(path) {
  return path.split('/').map((s) => encodeURIComponent(decodeURIComponent(s))
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)).join('/');
}

function canonicalQuery(search) {
  const params = [...new URLSearchParams(search)].map(([k, v]) => [encodeURIComponent(k), encodeURIComponent(v)]);
  params.sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0));
  return params.map(([k, v]) => `${k}=${v}`).join('&');
}

// Returns null when the request is correctly signed by accessKeyId/secret, else the reason.
export function verify(req, body, { accessKeyId, secretAccessKey, region }) {
  const auth = req.headers.authorization ?? '';
  const m = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/s3\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(auth);
  if (!m) return 'missing or malformed SigV4 Authorization header';
  const [, key, day, reqRegion, signedHeaders, signature] = m;
  if (key !== accessKeyId) return 'unknown access key';
  if (reqRegion !== region) return 'wrong region';
  const amzDate = req.headers['x-amz-date'] ?? '';
  if (!amzDate.startsWith(day)) return 'x-amz-date does not match the credential scope';
  const payloadHash = req.headers['x-amz-content-sha256'];
  if (payloadHash !== 'UNSIGNED-PAYLOAD' && payloadHash !== sha256(body)) return 'payload hash mismatch';
  const names = signedHeaders.split(';');
  if (!names.includes('host') || !names.includes('x-amz-date')) return 'host and x-amz-date must be signed';
  const url = new URL(req.url, 'http://placeholder');
  const canonical = [
    req.method,
    canonicalUri(url.pathname),
    canonicalQuery(url.search),
    names.map((n) => `${n}:${String(req.headers[n] ?? '').trim().replace(/\s+/g, ' ')}\n`).join(''),
    signedHeaders,
    payloadHash,
  ].join('\n');
  const scope = `${day}/${region}/s3/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonical)].join('\n');
  let k = hmac(`AWS4${secretAccessKey}`, day);
  for (const part of [region, 's3', 'aws4_request']) k = hmac(k, part);
  const expected = crypto.createHmac('sha256', k).update(stringToSign).digest('hex');
  return crypto.timingSafeEqual(Buffer.from(expected), Buffer.from(signature)) ? null : 'SignatureDoesNotMatch';
}

// Listens on a free loopback port; verified requests are proxied to target (http://host:port).
export async function startSigV4Gate({ target, accessKeyId, secretAccessKey, region }) {
  const rejected = [];
  const server = http.createServer(async (req, res) => {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    const body = Buffer.concat(chunks);
    const problem = req.method === 'GET' ? null : verify(req, body, { accessKeyId, secretAccessKey, region });
    if (problem) {
      rejected.push(problem);
      res.writeHead(403, { 'Content-Type': 'application/xml' });
      res.end(`<Error><Code>SignatureDoesNotMatch</Code><Message>${problem}</Message></Error>`);
      return;
    }
    const up = http.request(new URL(req.url, target), { method: req.method, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode, r.headers);
      r.pipe(res);
    });
    up.on('error', () => { res.writeHead(502); res.end(); });
    up.end(body);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    rejected,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
