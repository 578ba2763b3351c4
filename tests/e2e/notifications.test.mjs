// Notifications leave through their providers' real protocols, to local fakes started here: a reset
// e-mail over SMTP (the smtp-server package), SMS through Twilio's REST API with retries and backoff
// while the fake fails, push through FCM HTTP v1 behind an OAuth token minted from a signed JWT — and
// a server killed with SIGKILL in the middle of sending still delivers the mail after its restart,
// exactly once.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, test } from 'node:test';
import axios from 'axios';
import { io } from 'socket.io-client';

import { bearer, connected, createAdmin, next, phone, uniq, waitFor } from './helpers/clients.mjs';
import { startFakeFcm, startFakeTwilio, startHangingSmtp, startSmtp } from './helpers/fake-providers.mjs';
import { restartServer, startServer } from './helpers/server.mjs';

const cleanups = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

// Each test stops its server before the next starts: on the shared PostgreSQL database of the e2e
// run, a server left running would deliver the next test's outbox rows through its own providers.
async function serve(env) {
  const server = await startServer({ env: { RATE_LIMIT_MAX: '100000', ...env } });
  return { server, api: axios.create({ baseURL: `${server.baseUrl}/api/v1`, validateStatus: () => true }) };
}

async function withServer(env, body) {
  const { server, api } = await serve(env);
  try {
    await body(server, api);
  } finally {
    await server.stop({ allowFailure: true });
  }
}

async function customer(api) {
  const account = { email: `nt.${uniq()}@example.test`, phone: phone(), password: `Nt-${uniq()}-Pw!`, firstName: 'Noor' };
  const res = await api.post('/auth/register', account);
  assert.equal(res.status, 201, JSON.stringify(res.data));
  return { ...account, id: res.data.data.user._id, token: res.data.data.token };
}

async function notification(api, token, pred) {
  const res = await api.get('/notifications?limit=100', bearer(token));
  assert.equal(res.status, 200, JSON.stringify(res.data));
  return res.data.data.find(pred);
}

test('a password-reset code goes out over SMTP, and the code in the mail resets the password', async () => {
  const smtp = await startSmtp();
  cleanups.push(smtp.close);
  await withServer({ SMTP_URL: smtp.url, SMTP_FROM: 'TipTop <orders@tiptop.test>' }, async (server, api) => {
  const c = await customer(api);
  assert.equal((await api.post('/auth/forgot-password', { email: c.email })).status, 200);
  const mail = await waitFor('the reset mail', () => smtp.messages.find((m) => m.to.includes(c.email) && /Reset/.test(m.headers.subject)));
  assert.equal(mail.from, 'orders@tiptop.test');
  assert.equal(mail.headers.from, 'TipTop <orders@tiptop.test>');
  assert.match(mail.headers['message-id'], /^<notification-[0-9a-f]{24}@tiptop\.test>$/);
  const code = mail.body.match(/new password: (\S+)/)[1];

  assert.equal((await api.post('/auth/reset-password', { token: code, password: 'a-brand-new-secret-42' })).status, 200);
  const login = await api.post('/auth/login', { email: c.email, password: 'a-brand-new-secret-42' });
  assert.equal(login.status, 200);
  const listed = await waitFor('the e-mail marked sent', () =>
    notification(api, login.data.data.token, (n) => n.type === 'password_reset' && n.deliveryStatus.email === 'sent'));
  assert.ok(!listed.message.includes(code), 'the app never shows the code');
  assert.equal(smtp.messages.filter((m) => m.to.includes(c.email) && /Reset/.test(m.headers.subject)).length, 1);
  });
});

test('an SMS through the Twilio API is retried with growing waits until the provider takes it', async () => {
  const accountSid = `AC${crypto.randomBytes(16).toString('hex')}`;
  const twilio = await startFakeTwilio({ accountSid, authToken: 'twilio-secret', failFirst: 2 });
  cleanups.push(twilio.close);
  await withServer({ TWILIO_ACCOUNT_SID: accountSid, TWILIO_AUTH_TOKEN: 'twilio-secret',
    TWILIO_PHONE_NUMBER: '+15005550006', TWILIO_BASE_URL: twilio.url, OUTBOX_RETRY_BASE_MS: '300' }, async (server, api) => {
  const boss = await createAdmin(server, api);
  const c = await customer(api);
  // SMS promotions are off by default: this customer asks for them.
  const prefs = await api.put('/users/me/notification-preferences', { promotions: { sms: true } }, bearer(c.token));
  assert.equal(prefs.status, 200);
  const sent = await api.post('/admin/notifications', { title: 'Biryani Friday', message: '20% off dum biryani tonight',
    userIds: [c.id], channels: { sms: true } }, bearer(boss.token));
  assert.equal(sent.status, 201, JSON.stringify(sent.data));
  assert.equal(sent.data.data.reached, 1);

  const to = `+91${c.phone}`;
  const sms = await waitFor('the SMS accepted', () => twilio.accepted.find((m) => m.To === to));
  assert.equal(sms.From, '+15005550006');
  assert.equal(sms.Body, 'TipTop: 20% off dum biryani tonight');
  const tries = twilio.log.filter((t) => t.to === to);
  assert.equal(tries.length, 3, 'two 503s, then accepted');
  const gap1 = tries[1].at - tries[0].at;
  const gap2 = tries[2].at - tries[1].at;
  assert.ok(gap1 >= 200 && gap2 > gap1, `backoff grows (${gap1} ms, then ${gap2} ms)`);
  const n = await waitFor('the SMS marked sent', () => notification(api, c.token, (x) => x.deliveryStatus.sms === 'sent'));
  assert.equal(n.type, 'promotion');
  assert.equal(twilio.accepted.filter((m) => m.To === to).length, 1);
  });
});

test('push goes through FCM HTTP v1 to every device; a token FCM no longer knows is forgotten', async () => {
  const fcm = await startFakeFcm({ unregistered: new Set(['gone-device:APA91b']) });
  cleanups.push(fcm.close);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tiptop-fcm-'));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'service-account.json');
  fs.writeFileSync(file, JSON.stringify(fcm.account));
  await withServer({ FCM_CREDENTIALS_FILE: file, FCM_BASE_URL: fcm.url }, async (server, api) => {
  const boss = await createAdmin(server, api);
  const c = await customer(api);
  for (const token of ['phone-device:APA91b', 'gone-device:APA91b'])
    assert.equal((await api.post('/users/me/devices', { token, platform: 'android' }, bearer(c.token))).status, 201);
  // The app, open on the customer's phone, hears it live as well.
  const socket = io(server.baseUrl, { auth: { token: c.token }, reconnection: false, transports: ['websocket'] });
  cleanups.push(() => socket.close());
  await connected(socket);
  const live = next(socket, 'notification:new', (n) => n.title === 'Kebab night');

  for (const title of ['Kebab night', 'Kulfi on us']) {
    const res = await api.post('/admin/notifications', { title, message: 'Only today', userIds: [c.id], channels: { push: true },
      priority: 'high', data: { screen: 'menu' } }, bearer(boss.token));
    assert.equal(res.status, 201, JSON.stringify(res.data));
  }
  const heard = await live;
  assert.equal(heard.type, 'promotion');
  assert.equal(heard.recipient, c.id);
  assert.deepEqual(heard.channels, { push: true, sms: false, email: false });
  await waitFor('both pushes delivered', () => fcm.delivered.filter((m) => m.token === 'phone-device:APA91b').length === 2);
  const push = fcm.delivered.find((m) => m.notification.title === 'Kebab night');
  assert.equal(push.notification.body, 'Only today');
  assert.equal(push.data.type, 'promotion');
  assert.equal(push.data.screen, 'menu');
  assert.match(push.data.notificationId, /^[0-9a-f]{24}$/);
  assert.equal(push.android.priority, 'high');
  assert.equal(fcm.issued.size, 1, 'one OAuth token, cached between sends');
  await waitFor('push marked sent', () => notification(api, c.token, (n) => n.title === 'Kulfi on us' && n.deliveryStatus.push === 'sent'));
  // UNREGISTERED: the server dropped that token, so there is nothing left to delete.
  assert.equal((await api.delete(`/users/me/devices/${encodeURIComponent('gone-device:APA91b')}`, bearer(c.token))).status, 404);
  assert.equal((await api.delete(`/users/me/devices/${encodeURIComponent('phone-device:APA91b')}`, bearer(c.token))).status, 200);
  socket.close();
  });
});

test('kill -9 while the mail is being sent: after the restart it is sent, exactly once', async () => {
  const hanging = await startHangingSmtp();
  let { server, api } = await serve({ SMTP_URL: hanging.url, OUTBOX_LEASE_SECONDS: '6' });
  cleanups.push(() => server.stop({ allowFailure: true }));
  const c = await customer(api);
  assert.equal((await api.post('/auth/forgot-password', { email: c.email })).status, 200);
  // Acknowledged to the client and committed; the worker has claimed the row and is mid-send when
  // the process is killed. Only then does the provider come back (a real SMTP server on its port).
  await waitFor('the worker to connect', () => hanging.connections() > 0);
  let smtp;
  server = await restartServer(server, {
    signal: 'SIGKILL',
    between: async () => {
      await hanging.close();
      smtp = await startSmtp({ port: hanging.port });
      cleanups.push(smtp.close);
    },
  });
  const restarted = Date.now();
  const resets = () => smtp.messages.filter((m) => m.to.includes(c.email) && /Reset/.test(m.headers.subject));
  await waitFor('the mail after the restart', () => resets().length === 1, 30_000);
  // The dead process's claim had to run out first (OUTBOX_LEASE_SECONDS=6, claimed before the kill).
  assert.ok(Date.now() - restarted > 1_000, 'sent only once the lease was over');
  const code = resets()[0].body.match(/new password: (\S+)/)[1];
  assert.equal((await api.post('/auth/reset-password', { token: code, password: 'after-the-crash-42' })).status, 200);

  // Marked sent: another restart and a full lease later, nothing goes out again.
  server = await restartServer(server);
  await sleep(7_000);
  assert.equal(resets().length, 1);
});
