// A local stand-in for Razorpay's REST API, speaking its real protocol: Basic auth with the key id
// and secret, JSON bodies in paise, the Orders, Payments and Refunds endpoints the server calls, the
// refund idempotency header (X-Refund-Idempotency: same key and body → the same refund; another
// body → 400), and Razorpay's error envelope. The tests play the customer's side through it: pay()
// makes a payment and returns what Checkout would hand the app (with its signature), and webhook()
// signs a delivery the way Razorpay does (hex HMAC-SHA256 of the raw body).
import crypto from 'node:crypto';
import http from 'node:http';
import { once } from 'node:events';

const alnum = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const gatewayId = (prefix) => `${prefix}_${Array.from(crypto.randomBytes(14), (b) => alnum[b % alnum.length]).join('')}`;
export const hmacHex = (secret, data) => crypto.createHmac('sha256', secret).update(data).digest('hex');

function reply(res, status, body) {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}
const refuse = (res, status, description) =>
  reply(res, status, { error: { code: 'BAD_REQUEST_ERROR', description, source: 'business', step: 'payment_initiation', reason: 'input_validation_failed' } });

export async function startFakeRazorpay({ keyId = 'rzp_test_TipTop0001', keySecret = crypto.randomBytes(12).toString('hex') } = {}) {
  const orders = new Map();
  const payments = new Map();
  const refunds = new Map();
  const refundKeys = new Map(); // idempotency key -> { body, refund }
  const calls = []; // every request: { method, path, headers, body }
  const sockets = new Set();
  const control = {
    hangOrders: 0, // the next N order creations never answer (the client's timeout fires)
    loseRefundAnswers: 0, // the next N refund calls act, but the connection drops before the answer…
    loseAfterMs: 0, // …this long after the call arrived
    refundStatus: 'processed', // what a new refund says it is
    unlisted: new Set(), // gateway orders whose payments list answers 404 (as a wrong base URL or proxy would)
  };

  const server = http.createServer(async (req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    for await (const chunk of req) raw += chunk;
    const path = req.url.split('?')[0];
    calls.push({ method: req.method, path, headers: req.headers, body: raw });
    if (req.headers.authorization !== `Basic ${Buffer.from(`${keyId}:${keySecret}`).toString('base64')}`)
      return refuse(res, 401, 'The api key provided is invalid');
    let body = {};
    if (raw) {
      if (!String(req.headers['content-type']).startsWith('application/json')) return refuse(res, 400, 'JSON expected');
      try { body = JSON.parse(raw); } catch { return refuse(res, 400, 'The request body is not valid JSON'); }
    }
    let m;
    if (req.method === 'POST' && path === '/v1/orders') {
      if (control.hangOrders > 0) { control.hangOrders -= 1; return; } // no answer, ever
      if (!Number.isInteger(body.amount) || body.amount < 100) return refuse(res, 400, 'The amount must be atleast INR 1.00');
      if (body.currency !== 'INR') return refuse(res, 400, 'The currency provided is invalid');
      if (body.payment_capture !== undefined && typeof body.payment_capture !== 'boolean' && body.payment_capture !== 0 && body.payment_capture !== 1)
        return refuse(res, 400, 'payment_capture must be a boolean');
      const order = { id: gatewayId('order'), entity: 'order', amount: body.amount, amount_paid: 0, amount_due: body.amount,
        currency: body.currency, receipt: body.receipt, notes: body.notes ?? {}, status: 'created', attempts: 0,
        created_at: Math.floor(Date.now() / 1000) };
      orders.set(order.id, order);
      return reply(res, 200, order);
    }
    if (req.method === 'GET' && (m = path.match(/^\/v1\/payments\/([A-Za-z0-9_]+)$/))) {
      const p = payments.get(m[1]);
      return p ? reply(res, 200, p) : refuse(res, 400, 'The id provided does not exist');
    }
    if (req.method === 'POST' && (m = path.match(/^\/v1\/payments\/([A-Za-z0-9_]+)\/capture$/))) {
      const p = payments.get(m[1]);
      if (!p) return refuse(res, 400, 'The id provided does not exist');
      if (p.status === 'captured') return refuse(res, 400, 'This payment has already been captured');
      if (p.status !== 'authorized') return refuse(res, 400, 'Only payments which have been authorized and not yet captured can be captured');
      if (body.amount !== p.amount || body.currency !== p.currency) return refuse(res, 400, 'Capture amount must be equal to the amount authorized');
      p.status = 'captured';
      p.captured = true;
      const order = orders.get(p.order_id);
      order.status = 'paid'; order.amount_paid = p.amount; order.amount_due = 0;
      return reply(res, 200, p);
    }
    if (req.method === 'GET' && (m = path.match(/^\/v1\/orders\/([A-Za-z0-9_]+)\/payments$/))) {
      if (control.unlisted.has(m[1])) return refuse(res, 404, 'The requested URL was not found on the server.');
      if (!orders.has(m[1])) return refuse(res, 400, 'The id provided does not exist');
      const items = [...payments.values()].filter((p) => p.order_id === m[1]);
      return reply(res, 200, { entity: 'collection', count: items.length, items });
    }
    if (req.method === 'POST' && (m = path.match(/^\/v1\/payments\/([A-Za-z0-9_]+)\/refund$/))) {
      const key = req.headers['x-refund-idempotency'];
      if (!key || !/^[A-Za-z0-9_-]{10,}$/.test(key)) return refuse(res, 400, 'X-Refund-Idempotency must be at least 10 characters');
      // The connection drops before the answer (whether the refund is made now or was before).
      const answer = (refund) => {
        if (control.loseRefundAnswers > 0) {
          control.loseRefundAnswers -= 1;
          setTimeout(() => req.socket.destroy(), control.loseAfterMs);
          return;
        }
        return reply(res, 200, refund);
      };
      const earlier = refundKeys.get(key);
      if (earlier) {
        if (earlier.body !== raw) return refuse(res, 400, 'The idempotency key was used with a different request');
        return answer(earlier.refund);
      }
      const p = payments.get(m[1]);
      if (!p) return refuse(res, 400, 'The id provided does not exist');
      if (p.status !== 'captured' && p.status !== 'refunded') return refuse(res, 400, 'Only captured payments can be refunded');
      const left = p.amount - p.amount_refunded;
      if (!Number.isInteger(body.amount) || body.amount < 100 || body.amount > left)
        return refuse(res, 400, 'The refund amount provided is greater than amount captured');
      const refund = { id: gatewayId('rfnd'), entity: 'refund', amount: body.amount, currency: p.currency, payment_id: p.id,
        notes: body.notes ?? {}, receipt: body.receipt ?? null, status: control.refundStatus, speed_requested: body.speed ?? 'normal',
        created_at: Math.floor(Date.now() / 1000) };
      refunds.set(refund.id, refund);
      refundKeys.set(key, { body: raw, refund });
      p.amount_refunded += body.amount;
      p.refund_status = p.amount_refunded === p.amount ? 'full' : 'partial';
      return answer(refund);
    }
    if (req.method === 'GET' && (m = path.match(/^\/v1\/payments\/([A-Za-z0-9_]+)\/refunds\/([A-Za-z0-9_]+)$/))) {
      const r = refunds.get(m[2]);
      return r && r.payment_id === m[1] ? reply(res, 200, r) : refuse(res, 400, 'The id provided does not exist');
    }
    return refuse(res, 404, 'The requested URL was not found on the server.');
  });
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${server.address().port}`;

  return {
    url, keyId, keySecret, orders, payments, refunds, calls, control,
    // The customer pays `gatewayOrderId` (the whole amount unless told otherwise). Returns what
    // Razorpay Checkout hands the app, signed with the key secret.
    pay(gatewayOrderId, { amount, status = 'captured', currency = 'INR' } = {}) {
      const order = orders.get(gatewayOrderId);
      if (!order) throw new Error(`no gateway order ${gatewayOrderId}`);
      const p = { id: gatewayId('pay'), entity: 'payment', amount: amount ?? order.amount, currency, status, order_id: order.id,
        method: 'upi', captured: status === 'captured', amount_refunded: 0, refund_status: null,
        created_at: Math.floor(Date.now() / 1000) };
      payments.set(p.id, p);
      if (status === 'captured') { order.status = 'paid'; order.amount_paid = p.amount; order.amount_due = 0; }
      return { razorpay_order_id: order.id, razorpay_payment_id: p.id, razorpay_signature: hmacHex(keySecret, `${order.id}|${p.id}`) };
    },
    // A webhook body as Razorpay sends it, for `event` about a payment or refund entity.
    event(event, { payment, refund, order } = {}) {
      const payload = {};
      if (payment) payload.payment = { entity: payment };
      if (refund) payload.refund = { entity: refund };
      if (order) payload.order = { entity: order };
      const contains = Object.keys(payload);
      return JSON.stringify({ entity: 'event', account_id: 'acc_TipTop00000001', event, contains, payload, created_at: Math.floor(Date.now() / 1000) });
    },
    refundCalls: () => calls.filter((c) => c.method === 'POST' && /\/refund$/.test(c.path)),
    close: async () => {
      for (const s of sockets) s.destroy();
      server.close();
      await once(server, 'close');
    },
  };
}
