// What the e2e suites share to act as TipTop's apps: unique identities, accounts made the way
// operators make them (the tiptop CLI), bearer headers, and socket.io-client event helpers.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

import { JWT_SECRET, TIPTOP_BIN } from './server.mjs';

export function uniq() {
  return `${Date.now().toString(36)}${crypto.randomBytes(4).toString('hex')}`;
}

export function phone() {
  return `9${String(crypto.randomInt(100000000, 999999999))}`;
}

export const bearer = (token) => ({ headers: { Authorization: `Bearer ${token}` } });

// An admin created with `tiptop create-admin` against the server's database, signed in through the API.
export async function createAdmin(server, api) {
  const email = `e2e.admin.${uniq()}@tiptop.test`;
  execFileSync(TIPTOP_BIN, ['create-admin', '--email', email, '--phone', phone(), '--password-stdin'], {
    input: 'kitchen-boss-2024\n',
    env: { PATH: process.env.PATH, DATABASE_URL: server.env.DATABASE_URL, NODE_ENV: 'test', JWT_SECRET, LOG_LEVEL: 'warn' },
  });
  const res = await api.post('/auth/login', { email, password: 'kitchen-boss-2024' });
  assert.equal(res.status, 200, JSON.stringify(res.data));
  return res.data.data;
}

export function connected(socket) {
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (err) => reject(err));
  });
}

export function refused(socket) {
  return new Promise((resolve, reject) => {
    socket.once('connect', () => reject(new Error('connected, but should have been refused')));
    socket.once('connect_error', (err) => resolve(err));
  });
}

// Resolves with the first `event` whose payload satisfies pred, or rejects after ms.
export function next(socket, event, pred = () => true, ms = 5000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, handler);
      reject(new Error(`no ${event} within ${ms} ms`));
    }, ms);
    function handler(data) {
      if (!pred(data)) return;
      clearTimeout(timer);
      socket.off(event, handler);
      resolve(data);
    }
    socket.on(event, handler);
  });
}

// Collects every `event` the socket receives, for asserting that nothing arrived.
export function collect(socket, event) {
  const seen = [];
  socket.on(event, (d) => seen.push(d));
  return seen;
}

// Polls check() until it returns something truthy (that value is returned), or fails after ms.
export async function waitFor(what, check, ms = 20_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}
