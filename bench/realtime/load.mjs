// Load generator of bench/realtime.sh: many idle Socket.IO clients plus one measured client, speaking
// Engine.IO v4 / Socket.IO v5 over a raw WebSocket (the `ws` package; no socket.io-client, whose
// per-socket overhead would limit how many sockets one process can hold). Runs as its own process;
// the memory it reports is the server's (VmRSS of BENCH_SERVER_PID), never its own.
//
// Protocol, as a socket.io-client would speak it with transports: ["websocket"]:
//   connect ws://HOST:PORT/socket.io/?EIO=4&transport=websocket
//   <- 0{"sid":…,"pingInterval":…,"pingTimeout":…}     engine.io OPEN
//   -> 40{"token":"<token>"}                             socket.io CONNECT to "/" with the auth payload
//   <- 40{"sid":…}  connected  |  <- 44{"message":…}  connect error (counted as a failure)
//   <- 2  -> 3                                           engine.io PING / PONG (every ping answered)
//   <- 42["order:status:updated",{…}]                    an event
//
// Phases (each prints a line; the final RESULT line also goes to BENCH_RESULT_FILE):
//   1. warm-up: BENCH_WARMUP_REQUESTS GET /health, BENCH_WARMUP_SOCKETS connect/disconnect cycles,
//      one unmeasured order lifecycle (5 events) to a temporary client; 1 s pause; RSS "before".
//   2. BENCH_CONNECTIONS idle clients, opened BENCH_CONCURRENCY at a time with the tokens of
//      BENCH_IDLE_TOKENS round-robin; they stay idle BENCH_IDLE_SECONDS and at least until every one
//      of them has answered a ping (bounded by the server's ping interval + 3 s); RSS "after".
//   3. the measured client connects with BENCH_MEASURED_TOKEN; BENCH_EVENTS status changes are sent
//      one at a time over HTTP (5 per order: confirmed, preparing, ready, out-for-delivery,
//      delivered); latency = the customer's receipt of the matching order:status:updated minus the
//      moment just before the HTTP request was written. The next change is sent only when both the
//      event and the HTTP answer have arrived. All idle clients stay connected.
//   4. RSS "end", every client closes, RESULT.
//
// BENCH_TRIGGER selects how a status change is made:
//   tiptop          POST /api/v1/orders as the customer (BENCH_MEASURED_TOKEN, BENCH_ORDER_BODY,
//                   own Idempotency-Key) for every 5 events, then PUT /api/v1/admin/orders/:id
//                   {"status"} with BENCH_ADMIN_TOKEN
//   node-reference  PUT /api/v1/admin/orders/:id {"status","userId"} (bench/realtime/node-reference.mjs;
//                   the "token" there is the user id, BENCH_MEASURED_TOKEN)
//
// Environment: BENCH_URL (http://127.0.0.1:PORT), BENCH_SERVER_PID, BENCH_TRIGGER, BENCH_IDLE_TOKENS
// (comma-separated), BENCH_MEASURED_TOKEN, BENCH_ADMIN_TOKEN and BENCH_ORDER_BODY (tiptop), and the
// knobs BENCH_CONNECTIONS (10000), BENCH_CONCURRENCY (200), BENCH_EVENTS (200), BENCH_IDLE_SECONDS
// (6), BENCH_WARMUP_REQUESTS (300), BENCH_WARMUP_SOCKETS (100), BENCH_WS_DEFLATE (1: offer
// permessage-deflate as socket.io-client and browsers do; 0: do not), BENCH_SOURCE_ADDRESSES
// (loopback addresses the clients connect from, 127.0.0.1 up; one per 25,000 sockets), BENCH_CONNECT_TIMEOUT_MS
// (15000), BENCH_EVENT_TIMEOUT_MS (5000), BENCH_RESULT_FILE.
//
// Exit status: 0 when it got as far as the RESULT line (bench/realtime.sh judges the counts in it),
// 1 on a fatal error (server gone, warm-up failed, no Socket.IO endpoint).
import fs from "node:fs";
import http from "node:http";
import crypto from "node:crypto";
import WebSocket from "ws";

// ---------------------------------------------------------------------------------------------
// Configuration

function env(name, fallback) {
  const v = process.env[name];
  if (v === undefined || v === "") {
    if (fallback === undefined) fatal(`${name} is required`);
    return fallback;
  }
  return v;
}
function intEnv(name, fallback, min, max) {
  const raw = env(name, String(fallback));
  const v = Number(raw);
  if (!Number.isInteger(v) || v < min || v > max) fatal(`${name} must be an integer between ${min} and ${max} (got '${raw}')`);
  return v;
}
function fatal(message) {
  console.error(`load: ${message}`);
  process.exit(1);
}

const BASE = new URL(env("BENCH_URL"));
const WS_URL = `ws://${BASE.host}/socket.io/?EIO=4&transport=websocket`;
const SERVER_PID = intEnv("BENCH_SERVER_PID", undefined, 1, 2 ** 31);
const TRIGGER = env("BENCH_TRIGGER");
if (TRIGGER !== "tiptop" && TRIGGER !== "node-reference") fatal("BENCH_TRIGGER must be tiptop or node-reference");
const IDLE_TOKENS = env("BENCH_IDLE_TOKENS").split(",").filter(Boolean);
if (IDLE_TOKENS.length === 0) fatal("BENCH_IDLE_TOKENS is empty");
const MEASURED_TOKEN = env("BENCH_MEASURED_TOKEN");
const CONNECTIONS = intEnv("BENCH_CONNECTIONS", 10000, 1, 1_000_000);
const CONCURRENCY = intEnv("BENCH_CONCURRENCY", 200, 1, 10_000);
const EVENTS = intEnv("BENCH_EVENTS", 200, 1, 100_000);
const IDLE_SECONDS = intEnv("BENCH_IDLE_SECONDS", 6, 0, 600);
const WARMUP_REQUESTS = intEnv("BENCH_WARMUP_REQUESTS", 300, 0, 1_000_000);
const WARMUP_SOCKETS = intEnv("BENCH_WARMUP_SOCKETS", 100, 1, 100_000);
const DEFLATE = intEnv("BENCH_WS_DEFLATE", 1, 0, 1) === 1;
const CONNECT_TIMEOUT_MS = intEnv("BENCH_CONNECT_TIMEOUT_MS", 15000, 100, 600_000);
const EVENT_TIMEOUT_MS = intEnv("BENCH_EVENT_TIMEOUT_MS", 5000, 10, 600_000);
const RESULT_FILE = process.env.BENCH_RESULT_FILE || "";
// Fan-out (tiptop only): FANOUT clients signed in as the admin, all in the "admin" room; each of
// FANOUT_EVENTS orders placed one at a time sends admin:new-order to every one of them.
const FANOUT = intEnv("BENCH_FANOUT", 0, 0, 1_000_000);
const FANOUT_EVENTS = intEnv("BENCH_FANOUT_EVENTS", 20, 1, 10_000);
const FANOUT_TOKENS = FANOUT > 0 ? env("BENCH_FANOUT_TOKENS").split(",").filter(Boolean) : []; // admins, round-robin
// Loopback source addresses, rotated per connection: one address reaches one server port from at
// most ~28,000 ephemeral ports (net.ipv4.ip_local_port_range), so 50,000 sockets need two or more.
// Default: one address per 25,000 sockets of the larger phase (127.0.0.1, 127.0.0.2, ...).
const SOURCE_ADDRESSES = Array.from(
  { length: intEnv("BENCH_SOURCE_ADDRESSES", Math.ceil(Math.max(CONNECTIONS, FANOUT) / 25_000), 1, 250) },
  (_, i) => `127.0.0.${i + 1}`,
);
let nextSource = 0;
const ADMIN_TOKEN = TRIGGER === "tiptop" ? env("BENCH_ADMIN_TOKEN") : "";
const ORDER_BODY = TRIGGER === "tiptop" ? env("BENCH_ORDER_BODY") : "";

const STATUSES = ["confirmed", "preparing", "ready", "out-for-delivery", "delivered"];
const EVENT_NAME = "order:status:updated";
const RUN_ID = crypto.randomBytes(4).toString("hex");

const say = (line) => console.log(line);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const now = () => process.hrtime.bigint();
const msSince = (t0, t1 = now()) => Number(t1 - t0) / 1e6;

// ---------------------------------------------------------------------------------------------
// The server process: RSS and CPU time from /proc

function procStatus(pid) {
  try {
    return fs.readFileSync(`/proc/${pid}/status`, "utf8");
  } catch {
    fatal(`the server process ${pid} is gone`);
  }
}
function rssKb(pid = SERVER_PID) {
  const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(procStatus(pid));
  if (!m) fatal(`no VmRSS in /proc/${pid}/status`);
  return Number(m[1]);
}
function processName(pid = SERVER_PID) {
  return (/^Name:\s+(.*)$/m.exec(procStatus(pid)) || [, "?"])[1];
}
// utime + stime of the process, in clock ticks (USER_HZ, 100 on Linux)
function cpuTicks(pid = SERVER_PID) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" "); // fields[0] is field 3 (state)
  return Number(fields[11]) + Number(fields[12]); // fields 14 and 15
}
const mb = (kb) => (kb / 1024).toFixed(1);

// ---------------------------------------------------------------------------------------------
// HTTP (keep-alive, loopback)

const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });

function request(method, path, { token, body, headers = {} } = {}) {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body);
    const h = { Accept: "application/json", ...headers };
    if (token) h.Authorization = `Bearer ${token}`;
    if (payload !== undefined) {
      h["Content-Type"] = "application/json";
      h["Content-Length"] = Buffer.byteLength(payload);
    }
    const req = http.request(
      { host: BASE.hostname, port: BASE.port, method, path, headers: h, agent, timeout: 10000 },
      (res) => {
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let json = null;
          try {
            json = JSON.parse(text);
          } catch {}
          resolve({ status: res.statusCode, text, json, at: now() });
        });
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error(`${method} ${path}: no answer within 10 s`)));
    req.on("error", reject);
    req.end(payload);
  });
}

// ---------------------------------------------------------------------------------------------
// One Socket.IO client over a raw WebSocket

const stats = { pings: 0, stray: 0, deflate: 0 };

class Client {
  constructor(token, { idle, fanout = null }) {
    this.token = token;
    this.idle = idle; // idle clients expect no events
    this.fanout = fanout; // fan-out clients: fanout(text, t) for every event, without parsing it
    this.pings = 0;
    this.connected = false;
    this.closed = false;
    this.closeInfo = "";
    this.waiter = null; // {match(name, data), resolve, reject, timer}
    this.events = 0;
  }

  // Resolves once the server acknowledged the CONNECT (40{"sid"}); rejects on a connect error,
  // an HTTP answer instead of the upgrade, a close or the timeout.
  open() {
    return new Promise((resolve, reject) => {
      let settled = false;
      const fail = (err) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.ws.terminate();
        reject(err);
      };
      const timer = setTimeout(() => fail(new Error(`no Socket.IO connect within ${CONNECT_TIMEOUT_MS} ms`)), CONNECT_TIMEOUT_MS);
      const localAddress = SOURCE_ADDRESSES[nextSource++ % SOURCE_ADDRESSES.length];
      const ws = new WebSocket(WS_URL, { perMessageDeflate: DEFLATE, handshakeTimeout: CONNECT_TIMEOUT_MS, localAddress });
      this.ws = ws;
      ws.on("message", (data, isBinary) => {
        const t = now();
        // fast path: the idle clients only ever see "2" (ping)
        if (!isBinary && data.length === 1 && data[0] === 0x32) {
          this.pings += 1;
          stats.pings += 1;
          ws.send("3");
          return;
        }
        const s = data.toString("utf8");
        switch (s[0]) {
          case "0": // engine.io OPEN
            try {
              this.handshake = JSON.parse(s.slice(1));
            } catch {
              fail(new Error(`bad engine.io open packet: ${s.slice(0, 80)}`));
              return;
            }
            ws.send("40" + JSON.stringify({ token: this.token }));
            return;
          case "2": // ping with data (probe)
            this.pings += 1;
            stats.pings += 1;
            ws.send("3" + s.slice(1));
            return;
          case "1": // engine.io CLOSE
            this.closeInfo = "engine.io close packet";
            return;
          case "6": // noop
            return;
          case "4":
            break;
          default:
            return;
        }
        // socket.io packet to the main namespace: 40, 41, 42, 44 (no namespace prefix for "/")
        switch (s[1]) {
          case "0":
            if (!settled) {
              settled = true;
              clearTimeout(timer);
              this.connected = true;
              if (ws.extensions && /permessage-deflate/.test(ws.extensions)) stats.deflate += 1;
              resolve(this);
            }
            return;
          case "4":
            fail(new Error(`connect error: ${s.slice(2, 200)}`));
            return;
          case "1":
            this.closeInfo = "socket.io disconnect packet";
            this.connected = false;
            return;
          case "2":
            this.onEvent(s.slice(2), t);
            return;
          default:
            return;
        }
      });
      ws.on("error", (err) => {
        if (!settled) fail(new Error(err.message));
        else this.closeInfo ||= `error: ${err.message}`;
      });
      ws.on("close", (code, reason) => {
        this.closed = true;
        this.connected = false;
        this.closeInfo ||= `closed by the server (${code}${reason && reason.length ? " " + reason : ""})`;
        if (!settled) fail(new Error(`closed before the Socket.IO connect (${code})`));
        if (this.waiter) this.waiter.reject(new Error(`the measured client was disconnected: ${this.closeInfo}`));
        if (this.onClose) this.onClose();
      });
    });
  }

  onEvent(text, t) {
    this.events += 1;
    if (this.fanout) {
      this.fanout(text, t);
      return;
    }
    if (this.idle) {
      stats.stray += 1;
      return;
    }
    // "[name,data]" or, with an ack id, "12[name,data]"
    const bracket = text.indexOf("[");
    let msg;
    try {
      msg = JSON.parse(text.slice(bracket));
    } catch {
      return;
    }
    if (this.waiter && this.waiter.match(msg[0], msg[1])) {
      const w = this.waiter;
      this.waiter = null;
      clearTimeout(w.timer);
      w.resolve(t);
    }
  }

  // Promise of the receipt time of the first event that matches.
  expect(match, label) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = null;
        reject(new Error(`no ${label} within ${EVENT_TIMEOUT_MS} ms`));
      }, EVENT_TIMEOUT_MS);
      this.waiter = { match, resolve, timer, reject: (e) => { clearTimeout(timer); this.waiter = null; reject(e); } };
    });
  }

  close() {
    return new Promise((resolve) => {
      if (this.closed || !this.ws) return resolve();
      this.onClose = resolve;
      try {
        this.ws.close(1000);
      } catch {
        resolve();
      }
    });
  }
}

// Opens `count` clients, `concurrency` at a time; token(i) gives the i-th client's token.
async function openMany(count, concurrency, token, { idle, fanout = null, progressEvery = 0, label = "" }) {
  const clients = [];
  const errors = new Map();
  let next = 0;
  let failed = 0;
  let done = 0;
  const t0 = now();
  async function worker() {
    while (next < count) {
      const i = next++;
      const c = new Client(token(i), { idle, fanout });
      try {
        clients.push(await c.open());
      } catch (e) {
        failed += 1;
        errors.set(e.message, (errors.get(e.message) || 0) + 1);
      }
      done += 1;
      if (progressEvery && done % progressEvery === 0)
        say(`   ${label}${done}/${count} (${clients.length} connected, ${failed} failed, ${msSince(t0).toFixed(0)} ms, server RSS ${mb(rssKb())} MB)`);
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return { clients, failed, errors, seconds: msSince(t0) / 1000 };
}

function describeErrors(errors) {
  return [...errors.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 5)
    .map(([m, n]) => `${n} x ${m}`)
    .join("; ");
}

async function closeAll(clients, timeoutMs = 10000) {
  await Promise.race([Promise.all(clients.map((c) => c.close())), sleep(timeoutMs)]);
  for (const c of clients) if (!c.closed && c.ws) c.ws.terminate();
}

// ---------------------------------------------------------------------------------------------
// Status changes (the "trigger")

function tiptopTrigger() {
  let seq = 0;
  return {
    async newOrder() {
      seq += 1;
      const r = await request("POST", "/api/v1/orders", {
        token: MEASURED_TOKEN,
        body: ORDER_BODY,
        headers: { "Idempotency-Key": `bench-rt-${RUN_ID}-${seq}` },
      });
      if (r.status !== 201 || !r.json?.data?._id)
        throw new Error(`POST /api/v1/orders answered ${r.status}: ${r.text.slice(0, 300)}`);
      return { id: r.json.data._id, number: r.json.data.orderNumber };
    },
    setStatus(order, status) {
      return request("PUT", `/api/v1/admin/orders/${order.id}`, { token: ADMIN_TOKEN, body: { status } });
    },
  };
}

function nodeReferenceTrigger() {
  let seq = 0;
  return {
    async newOrder() {
      seq += 1;
      return { id: `${RUN_ID}${String(seq).padStart(16, "0")}`, number: null };
    },
    setStatus(order, status) {
      return request("PUT", `/api/v1/admin/orders/${order.id}`, { body: { status, userId: MEASURED_TOKEN } });
    },
  };
}

// Runs `count` status changes through `client`; returns the latencies (ms) and failures.
async function statusChanges(client, trigger, count) {
  const latencies = [];
  const httpMs = [];
  let order = null;
  for (let e = 0; e < count; e++) {
    const status = STATUSES[e % STATUSES.length];
    if (e % STATUSES.length === 0) order = await trigger.newOrder();
    const o = order;
    const received = client.expect(
      (name, data) =>
        name === EVENT_NAME && data && data.status === status && (data.orderId === o.id || (o.number && data.orderNumber === o.number)),
      `${EVENT_NAME} {status: ${status}} for order ${o.id}`,
    );
    received.catch(() => {}); // awaited below; avoid an unhandled rejection if the HTTP call throws first
    const t0 = now();
    const res = await trigger.setStatus(o, status);
    if (res.status !== 200) {
      throw new Error(`PUT /api/v1/admin/orders/${o.id} {status: ${status}} answered ${res.status}: ${res.text.slice(0, 300)}`);
    }
    const t1 = await received;
    latencies.push(msSince(t0, t1));
    httpMs.push(msSince(t0, res.at));
  }
  return { latencies, httpMs };
}

// FANOUT admin clients in one room; FANOUT_EVENTS orders, one at a time, each waited for until
// every client has its admin:new-order. Per order: from just before the POST was written to the
// first and to the last client's receipt (the load generator reads the sockets one after another,
// so "last" includes its own time to go through FANOUT messages).
async function fanOut(trigger) {
  let current = null;
  const sink = (text, t) => {
    if (!current || !text.startsWith('["admin:new-order"')) return;
    current.count += 1;
    if (current.count === 1) current.first = t;
    if (current.count === FANOUT) {
      current.last = t;
      current.done();
    }
  };
  say(`   fan-out: opening ${FANOUT} clients as ${FANOUT_TOKENS.length} admins (all in the admin room), ${CONCURRENCY} at a time`);
  const opened = await openMany(FANOUT, CONCURRENCY, (i) => FANOUT_TOKENS[i % FANOUT_TOKENS.length], { idle: false, fanout: sink });
  if (opened.failed) fatal(`fan-out: ${opened.failed} of ${FANOUT} connects failed: ${describeErrors(opened.errors)}`);
  await sleep(1000);
  const first = [], last = [], http = [];
  for (let e = 0; e < FANOUT_EVENTS; e++) {
    const round = { count: 0, first: 0, last: 0 };
    const all = new Promise((resolve, reject) => {
      round.done = resolve;
      round.timer = setTimeout(() => reject(new Error(`fan-out: ${round.count} of ${FANOUT} clients got admin:new-order within ${EVENT_TIMEOUT_MS} ms`)), EVENT_TIMEOUT_MS);
    });
    current = round;
    const t0 = now();
    const order = await trigger.newOrder();
    const tHttp = now();
    await all.catch((err) => fatal(err.message));
    clearTimeout(round.timer);
    current = null;
    first.push(msSince(t0, round.first));
    last.push(msSince(t0, round.last));
    http.push(msSince(t0, tHttp));
    void order;
    await sleep(200);
  }
  const sortNum = (a) => a.sort((x, y) => x - y);
  const result = { connected: opened.clients.length, complete: last.length, first: sortNum(first), last: sortNum(last), http: sortNum(http) };
  say(
    `   fan-out to ${FANOUT} sockets over ${FANOUT_EVENTS} orders: last receipt p50 ${percentile(result.last, 50).toFixed(2)} ms, ` +
      `max ${result.last[result.last.length - 1].toFixed(2)} ms; first receipt p50 ${percentile(result.first, 50).toFixed(2)} ms; ` +
      `order's HTTP answer p50 ${percentile(result.http, 50).toFixed(2)} ms`,
  );
  await closeAll(opened.clients);
  return result;
}

function percentile(sorted, p) {
  if (!sorted.length) return NaN;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1];
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const name = processName();
  const rssStart = rssKb();
  say(`   server process: ${name} (pid ${SERVER_PID}), RSS at start ${mb(rssStart)} MB; ${WS_URL}`);
  const trigger = TRIGGER === "tiptop" ? tiptopTrigger() : nodeReferenceTrigger();

  // 1. warm-up
  let next = 0;
  let httpFailures = 0;
  await Promise.all(
    Array.from({ length: Math.min(4, WARMUP_REQUESTS) }, async () => {
      while (next < WARMUP_REQUESTS) {
        next += 1;
        const r = await request("GET", "/health");
        if (r.status !== 200) httpFailures += 1;
      }
    }),
  );
  if (httpFailures) fatal(`warm-up: ${httpFailures} of ${WARMUP_REQUESTS} GET /health did not answer 200`);
  const warm = await openMany(WARMUP_SOCKETS, 10, (i) => IDLE_TOKENS[i % IDLE_TOKENS.length], { idle: true });
  if (warm.failed) {
    const hint = [...warm.errors.keys()].some((m) => /Unexpected server response: 404/.test(m))
      ? " (HTTP 404 on /socket.io/: this server has no Socket.IO endpoint)"
      : "";
    fatal(`warm-up: ${warm.failed} of ${WARMUP_SOCKETS} Socket.IO connects failed${hint}: ${describeErrors(warm.errors)}`);
  }
  const handshake = warm.clients[0].handshake || {};
  await closeAll(warm.clients);
  const warmClient = await new Client(MEASURED_TOKEN, { idle: false }).open().catch((e) => fatal(`warm-up: the measured customer could not connect: ${e.message}`));
  await statusChanges(warmClient, trigger, STATUSES.length).catch((e) => fatal(`warm-up order lifecycle: ${e.message}`));
  await warmClient.close();
  say(
    `   warm-up: ${WARMUP_REQUESTS} GET /health, ${WARMUP_SOCKETS} connect/disconnect, 1 order lifecycle (${STATUSES.length} events); ` +
      `engine.io pingInterval ${handshake.pingInterval} ms, pingTimeout ${handshake.pingTimeout} ms`,
  );
  await sleep(1000);
  const rssBefore = rssKb();
  say(`   RSS before: ${mb(rssBefore)} MB`);

  // 2. idle clients
  say(`   opening ${CONNECTIONS} idle clients, ${CONCURRENCY} at a time (${IDLE_TOKENS.length} users round-robin, permessage-deflate ${DEFLATE ? "offered" : "not offered"})`);
  const progressEvery = CONNECTIONS >= 4000 ? 2000 : Math.max(1, Math.ceil(CONNECTIONS / 4));
  const idle = await openMany(CONNECTIONS, CONCURRENCY, (i) => IDLE_TOKENS[i % IDLE_TOKENS.length], {
    idle: true,
    progressEvery,
    label: "",
  });
  const tOpened = now();
  say(
    `   ${idle.clients.length} connected, ${idle.failed} failed in ${idle.seconds.toFixed(2)} s ` +
      `(${(CONNECTIONS / idle.seconds).toFixed(0)} connects/s); permessage-deflate accepted on ${stats.deflate}` +
      `${idle.failed ? "; failures: " + describeErrors(idle.errors) : ""}`,
  );
  // idle: IDLE_SECONDS, and until every client has answered a ping (at most the ping interval + 3 s
  // after the last connect)
  const cpu0 = cpuTicks();
  const tIdle0 = now();
  await sleep(IDLE_SECONDS * 1000);
  const pingBound = Math.min(120_000, (Number(handshake.pingInterval) || 25000) + 3000);
  while (idle.clients.some((c) => c.pings === 0 && !c.closed) && msSince(tOpened) < pingBound) await sleep(250);
  const idleSeconds = msSince(tIdle0) / 1000;
  const idleCpuPct = ((cpuTicks() - cpu0) / 100 / idleSeconds) * 100;
  const rssAfter = rssKb();
  const minPings = idle.clients.reduce((m, c) => Math.min(m, c.pings), Infinity);
  const stillOpen = idle.clients.filter((c) => c.connected && !c.closed).length;
  const perConn = ((rssAfter - rssBefore) / CONNECTIONS).toFixed(2);
  say(
    `   idle ${idleSeconds.toFixed(1)} s: ${stillOpen} still connected, pings per client >= ${minPings === Infinity ? 0 : minPings} ` +
      `(${stats.pings} answered), server CPU ${idleCpuPct.toFixed(1)} %`,
  );
  say(`   RSS after: ${mb(rssAfter)} MB  ->  ${perConn} KB per connection`);

  // 3. latency
  const measured = await new Client(MEASURED_TOKEN, { idle: false }).open().catch((e) => fatal(`the measured customer could not connect: ${e.message}`));
  say(`   ${EVENTS} status changes, one at a time (${Math.ceil(EVENTS / STATUSES.length)} orders x ${STATUSES.join(" -> ")})`);
  let latencies = [];
  let httpMs = [];
  let eventError = "";
  try {
    ({ latencies, httpMs } = await statusChanges(measured, trigger, EVENTS));
  } catch (e) {
    eventError = e.message;
    say(`   FAILED: ${e.message}`);
  }
  const rssEnd = rssKb();
  const dropped = idle.clients.filter((c) => c.closed || !c.connected).length;
  const dropReasons = new Map();
  for (const c of idle.clients) if (c.closed || !c.connected) dropReasons.set(c.closeInfo || "?", (dropReasons.get(c.closeInfo || "?") || 0) + 1);
  const sorted = [...latencies].sort((a, b) => a - b);
  const httpSorted = [...httpMs].sort((a, b) => a - b);
  const f = (v) => (Number.isFinite(v) ? v.toFixed(2) : "nan");
  const mean = sorted.length ? sorted.reduce((a, b) => a + b, 0) / sorted.length : NaN;
  say(
    `   latency HTTP -> customer's socket over ${sorted.length} events: p50 ${f(percentile(sorted, 50))} ms  p90 ${f(percentile(sorted, 90))} ms  ` +
      `p99 ${f(percentile(sorted, 99))} ms  max ${f(sorted[sorted.length - 1])} ms  (HTTP answer p50 ${f(percentile(httpSorted, 50))} ms)`,
  );
  say(`   RSS at the end: ${mb(rssEnd)} MB; idle clients dropped: ${dropped}${dropped ? " (" + describeErrors(dropReasons) + ")" : ""}; stray events to idle clients: ${stats.stray}`);

  // 4. close everything
  await closeAll([measured, ...idle.clients]);

  // 5. fan-out: one event to a room of FANOUT sockets, timed to the last one that receives it
  const fan = FANOUT > 0 && TRIGGER === "tiptop" ? await fanOut(trigger) : null;
  agent.destroy();

  const result = {
    server: name,
    pid: SERVER_PID,
    connections: CONNECTIONS,
    connected: idle.clients.length,
    failed: idle.failed,
    dropped,
    stray: stats.stray,
    deflate_accepted: stats.deflate,
    open_s: idle.seconds.toFixed(2),
    idle_s: idleSeconds.toFixed(1),
    min_pings: minPings === Infinity ? 0 : minPings,
    ping_interval_ms: handshake.pingInterval ?? "?",
    idle_cpu_pct: idleCpuPct.toFixed(1),
    rss_start_kb: rssStart,
    rss_before_kb: rssBefore,
    rss_after_kb: rssAfter,
    rss_end_kb: rssEnd,
    per_conn_kb: perConn,
    events: EVENTS,
    events_ok: latencies.length,
    p50_ms: f(percentile(sorted, 50)),
    p90_ms: f(percentile(sorted, 90)),
    p99_ms: f(percentile(sorted, 99)),
    max_ms: f(sorted[sorted.length - 1]),
    mean_ms: f(mean),
    http_p50_ms: f(percentile(httpSorted, 50)),
    event_error: eventError ? JSON.stringify(eventError).replace(/\s/g, "_") : "none",
    fanout: fan ? FANOUT : 0,
    fanout_connected: fan ? fan.connected : 0,
    fanout_events: fan ? fan.complete : 0,
    fanout_last_p50_ms: fan ? f(percentile(fan.last, 50)) : "nan",
    fanout_last_max_ms: fan ? f(fan.last[fan.last.length - 1]) : "nan",
    fanout_first_p50_ms: fan ? f(percentile(fan.first, 50)) : "nan",
    fanout_http_p50_ms: fan ? f(percentile(fan.http, 50)) : "nan",
  };
  const line = "RESULT " + Object.entries(result).map(([k, v]) => `${k}=${v}`).join(" ");
  say(line);
  if (RESULT_FILE) fs.writeFileSync(RESULT_FILE, line + "\n");
}

main().then(
  () => process.exit(0),
  (e) => fatal(e && e.stack ? e.stack : String(e)),
);
