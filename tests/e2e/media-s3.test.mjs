// Menu photos stored in S3-compatible object storage: the server signs its uploads with AWS SigV4
// (libcurl); a SigV4 gate (helpers/sigv4-gate.mjs) checks every signature as S3 does and hands the
// request to s3rver, a real S3 protocol implementation started here, which stores the objects.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import axios from 'axios';
import S3rver from 's3rver';

import { JWT_SECRET, TIPTOP_BIN, startServer } from './helpers/server.mjs';
import { startSigV4Gate } from './helpers/sigv4-gate.mjs';

// A real 2x2 grey PNG (written by libvips for this test), so Node needs no image library.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAACXBIWXMAAAPoAAAD6AG1e1JrAAAADklEQVQI12OoAAMGCAUAJ24FoUNaEDwAAAAASUVORK5CYII=',
  'base64');
const BUCKET = 'tiptop-images';
const suffix = Math.random().toString(36).slice(2, 8);

let s3, s3Dir, s3Url, gate;

before(async () => {
  s3Dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tiptop-s3-'));
  s3 = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: s3Dir, configureBuckets: [{ name: BUCKET }] });
  const { port } = await s3.run();
  gate = await startSigV4Gate({ target: `http://127.0.0.1:${port}`, accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', region: 'us-east-1' });
  s3Url = gate.url;
});

after(async () => {
  await gate?.close();
  await s3?.close();
  fs.rmSync(s3Dir, { recursive: true, force: true });
});

async function serverWithS3(secret) {
  return startServer({
    env: {
      RATE_LIMIT_MAX: '100000',
      AWS_S3_BUCKET: BUCKET,
      AWS_S3_ENDPOINT: s3Url,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: secret,
    },
  });
}

async function adminToken(server) {
  const email = `chef-${suffix}-${Math.random().toString(36).slice(2, 6)}@tiptop.test`;
  const phone = `98${Math.floor(10000000 + Math.random() * 89999999)}`;
  execFileSync(TIPTOP_BIN, ['create-admin', '--email', email, '--phone', phone, '--password-stdin'], {
    input: 'kitchen-boss-2024\n',
    env: { PATH: process.env.PATH, DATABASE_URL: server.env.DATABASE_URL, NODE_ENV: 'test', JWT_SECRET, LOG_LEVEL: 'warn' },
  });
  const res = await axios.post(`${server.baseUrl}/api/v1/auth/login`, { email, password: 'kitchen-boss-2024' });
  return res.data.data.token;
}

async function anItem(server, token) {
  const res = await axios.post(`${server.baseUrl}/api/v1/admin/menu/items`,
    { name: `S3 Test Kebab ${suffix}`, price: 199, category: { main: 'Tandoori' } },
    { headers: { Authorization: `Bearer ${token}` } });
  return res.data.data._id;
}

function form() {
  const f = new FormData();
  f.append('image', new Blob([PNG], { type: 'image/png' }), 'kebab.png');
  return f;
}

test('an uploaded photo lands in the S3 bucket as WebP, under the signed request', async () => {
  const server = await serverWithS3('S3RVER');
  try {
    const token = await adminToken(server);
    const id = await anItem(server, token);
    const res = await axios.post(`${server.baseUrl}/api/v1/admin/menu/items/${id}/images`, form(),
      { headers: { Authorization: `Bearer ${token}` } });
    assert.equal(res.status, 201);
    const variants = res.data.data.variants;
    assert.equal(variants.length, 2);
    for (const v of variants) {
      assert.match(v.url, new RegExp(`^${s3Url}/${BUCKET}/[0-9a-f]{32}-\\d+\\.webp$`));
      const object = await axios.get(v.url, { responseType: 'arraybuffer' });
      const bytes = Buffer.from(object.data);
      assert.equal(bytes.subarray(0, 4).toString(), 'RIFF');
      assert.equal(bytes.subarray(8, 12).toString(), 'WEBP');
      assert.equal(object.headers['content-type'], 'image/webp');
    }
    const item = await axios.get(`${server.baseUrl}/api/v1/menu/items/${id}`);
    assert.equal(item.data.data.image, variants[1].url);
    assert.deepEqual(gate.rejected, []);
  } finally {
    await server.stop();
  }
});

test('a wrong secret is refused by S3 and reported as a service error, nothing half-done', async () => {
  const server = await serverWithS3('not-the-secret');
  try {
    const token = await adminToken(server);
    const id = await anItem(server, token);
    const res = await axios.post(`${server.baseUrl}/api/v1/admin/menu/items/${id}/images`, form(),
      { headers: { Authorization: `Bearer ${token}` }, validateStatus: () => true });
    assert.equal(res.status, 503);
    assert.ok(gate.rejected.includes('SignatureDoesNotMatch'), `gate saw: ${gate.rejected}`);
    assert.equal(res.data.error.code, 'SERVICE_ERROR');
    assert.doesNotMatch(JSON.stringify(res.data), /not-the-secret/);
    const item = await axios.get(`${server.baseUrl}/api/v1/menu/items/${id}`);
    assert.deepEqual(item.data.data.images, []);
    assert.ok(!server.lines.some((l) => l.includes('not-the-secret')), 'the secret never reaches the log');
  } finally {
    await server.stop();
  }
});
