// The comparison server for bench/realtime.sh: a plain socket.io v4 server (the `socket.io` npm
// package, default options apart from the ping interval) that does what tiptop's realtime layer does
// for the benchmark, and nothing else:
//
//   - a middleware takes socket.handshake.auth.token (here simply the user id: this compares the cost
//     of the transport, not of JWT verification) and the connection joins room "user:<id>";
//   - PUT /api/v1/admin/orders/:id with JSON {status, userId} appends to that order's history and
//     emits order:status:updated {orderId, orderNumber, status, statusHistory} to "user:<userId>" and
//     to "admin" (as tiptop's OrderService::announce does), then answers 200 JSON;
//   - GET /health answers 200 JSON (warm-up and readiness).
//
//   PORT=5050 PING_INTERVAL_MS=5000 node bench/realtime/node-reference.mjs
//
// Environment: PORT (required), HOST (127.0.0.1), PING_INTERVAL_MS (socket.io's default, 25000, when
// unset). SIGTERM/SIGINT close every socket and exit 0.
import http from "node:http";
import { createRequire } from "node:module";
import { Server } from "socket.io";

const require = createRequire(import.meta.url);
const SIO_VERSION = require("socket.io/package.json").version;

const port = Number(process.env.PORT);
if (!Number.isInteger(port) || port <= 0 || port > 65535) {
  console.error("node-reference: PORT must be set to a TCP port");
  process.exit(2);
}
const host = process.env.HOST || "127.0.0.1";
const options = {};
if (process.env.PING_INTERVAL_MS) options.pingInterval = Number(process.env.PING_INTERVAL_MS);

// orderId -> {orderNumber, history: [{status, timestamp, updatedBy}]}
const orders = new Map();
let orderSeq = 0;

function send(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { "Content-Type": "application/json; charset=utf-8", "Content-Length": Buffer.byteLength(text) });
  res.end(text);
}

const httpServer = http.createServer((req, res) => {
  const url = req.url || "/";
  if (req.method === "GET" && url === "/health") {
    send(res, 200, { success: true, data: { status: "ok", sockets: io.engine.clientsCount } });
    return;
  }
  const m = /^\/api\/v1\/admin\/orders\/([^/?]+)$/.exec(url);
  if (req.method !== "PUT" || !m) {
    send(res, 404, { success: false, error: { code: "NOT_FOUND", message: "Not found" } });
    return;
  }
  const orderId = decodeURIComponent(m[1]);
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    let body;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch {
      send(res, 400, { success: false, error: { code: "BAD_JSON", message: "Invalid JSON" } });
      return;
    }
    const { status, userId } = body || {};
    if (typeof status !== "string" || typeof userId !== "string" || !status || !userId) {
      send(res, 400, { success: false, error: { code: "VALIDATION_ERROR", message: "status and userId are required" } });
      return;
    }
    let order = orders.get(orderId);
    if (!order) {
      orderSeq += 1;
      order = { orderNumber: "REF-" + String(orderSeq).padStart(6, "0"), history: [] };
      orders.set(orderId, order);
    }
    order.history.push({ status, timestamp: new Date().toISOString(), updatedBy: "admin" });
    const data = { orderId, orderNumber: order.orderNumber, status, statusHistory: order.history };
    io.to("user:" + userId).emit("order:status:updated", data);
    io.to("admin").emit("order:status:updated", data);
    send(res, 200, { success: true, data: { _id: orderId, orderNumber: order.orderNumber, status } });
  });
});

const io = new Server(httpServer, options);

io.use((socket, next) => {
  const token = socket.handshake.auth && socket.handshake.auth.token;
  if (typeof token !== "string" || token.length === 0) {
    next(new Error("Authentication error: no token"));
    return;
  }
  socket.data.userId = token;
  next();
});

io.on("connection", (socket) => {
  socket.join("user:" + socket.data.userId);
});

httpServer.listen(port, host, () => {
  console.log(
    `node-reference: socket.io ${SIO_VERSION} on http://${host}:${port} (node ${process.version}, ` +
      `pingInterval ${io.engine.opts.pingInterval} ms, pid ${process.pid})`,
  );
});

let stopping = false;
function stop() {
  if (stopping) return;
  stopping = true;
  io.close(() => process.exit(0)); // disconnects every socket and closes the HTTP server
  setTimeout(() => process.exit(0), 5000).unref();
}
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
