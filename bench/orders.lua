-- wrk script for bench/orders.sh: POST <path of the URL> (/api/v1/orders) with a JSON order body,
-- a customer's bearer token and a unique Idempotency-Key on every request.
--
--   BENCH_ORDER_BODY="$(cat order.json)" BENCH_TOKEN="<jwt>" BENCH_KEY_PREFIX=m \
--     wrk -t2 -c32 -d10s --latency -s bench/orders.lua http://127.0.0.1:PORT/api/v1/orders
--
-- Environment:
--   BENCH_ORDER_BODY  the JSON order (required)
--   BENCH_TOKEN       the access token of a customer (required)
--   BENCH_KEY_PREFIX  prepended to every Idempotency-Key (optional; give each wrk run its own so
--                     two runs against the same database never replay each other's orders)
--
-- Idempotency-Key = <prefix><random run id>-t<thread>-<counter>: setup() gives every thread its
-- own number and the run id (drawn once, in the main Lua state), request() bumps a per-thread
-- counter, so no two requests of a run share a key.
--
-- response() counts the answers by status (201 = an order was placed) and keeps the first non-201
-- status and body for diagnosis. done() adds up the threads' counts and prints a human summary
-- plus one machine-readable line that bench/orders.sh parses:
--   RESULT requests=<n> seconds=<s> rps=<r> created=<n> orders_per_s=<r> non201=<n> s2xx=<n>
--          s3xx=<n> s4xx=<n> s5xx=<n> p50_us=<n> p90_us=<n> p99_us=<n> p999_us=<n> max_us=<n>
--          connect=<n> read=<n> write=<n> timeout=<n> status=<n> bytes=<n>
-- (s2xx = 2xx other than 201; status = wrk's own count of responses >= 400.)

local body = os.getenv("BENCH_ORDER_BODY")
local token = os.getenv("BENCH_TOKEN")
if body == nil or body == "" then error("orders.lua: set BENCH_ORDER_BODY to the JSON order body") end
if token == nil or token == "" then error("orders.lua: set BENCH_TOKEN to a customer's access token") end

wrk.method = "POST"
wrk.body = body
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. token

-- ---------------------------------------------------------------------------------------------
-- main state: one id per thread, one random run id for all of them

local threads = {}
local main_run_id

function setup(thread)
  if main_run_id == nil then
    math.randomseed(os.time() + math.floor(os.clock() * 1e6))
    main_run_id = string.format("%08x%08x", math.random(0, 0x7fffffff), math.random(0, 0x7fffffff))
  end
  table.insert(threads, thread)
  -- globals of the thread's own Lua state, read by init()
  thread:set("bench_tid", #threads)
  thread:set("bench_run_id", main_run_id)
end

-- ---------------------------------------------------------------------------------------------
-- thread states

local key_prefix
local counter = 0
created, s2xx, s3xx, s4xx, s5xx = 0, 0, 0, 0, 0
first_bad_status, first_bad_body = 0, ""

function init(args)
  key_prefix = (os.getenv("BENCH_KEY_PREFIX") or "") .. bench_run_id .. "-t" .. bench_tid .. "-"
end

function request()
  counter = counter + 1
  wrk.headers["Idempotency-Key"] = key_prefix .. counter
  return wrk.format()
end

function response(status, headers, resp_body)
  if status == 201 then
    created = created + 1
    return
  end
  if status < 300 then s2xx = s2xx + 1
  elseif status < 400 then s3xx = s3xx + 1
  elseif status < 500 then s4xx = s4xx + 1
  else s5xx = s5xx + 1 end
  if first_bad_status == 0 then
    first_bad_status = status
    first_bad_body = string.sub(resp_body or "", 1, 300)
  end
end

-- ---------------------------------------------------------------------------------------------
-- main state again, after the run

function done(summary, latency, requests)
  local c, o2, o3, o4, o5 = 0, 0, 0, 0, 0
  local bad_status, bad_body = 0, ""
  for _, t in ipairs(threads) do
    c = c + t:get("created")
    o2 = o2 + t:get("s2xx")
    o3 = o3 + t:get("s3xx")
    o4 = o4 + t:get("s4xx")
    o5 = o5 + t:get("s5xx")
    if bad_status == 0 and t:get("first_bad_status") ~= 0 then
      bad_status, bad_body = t:get("first_bad_status"), t:get("first_bad_body")
    end
  end
  local non201 = o2 + o3 + o4 + o5
  local seconds = summary.duration / 1e6
  local e = summary.errors
  local rps = summary.requests / seconds
  local ops = c / seconds
  io.write("----------------------------------------------------------------\n")
  io.write(string.format("Summary: %d requests in %.2fs = %.0f req/s; %d orders placed (201) = %.0f orders/s\n",
    summary.requests, seconds, rps, c, ops))
  io.write(string.format("Latency: p50 %.2fms  p90 %.2fms  p99 %.2fms  p99.9 %.2fms  max %.2fms\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency:percentile(99.9) / 1000, latency.max / 1000))
  io.write(string.format("Non-201: %d (other 2xx %d, 3xx %d, 4xx %d, 5xx %d)\n", non201, o2, o3, o4, o5))
  if bad_status ~= 0 then
    io.write(string.format("First non-201: %d %s\n", bad_status, (string.gsub(bad_body, "[\r\n]", " "))))
  end
  io.write(string.format("Errors: connect %d  read %d  write %d  timeout %d  status>=400 %d\n",
    e.connect, e.read, e.write, e.timeout, e.status))
  io.write(string.format(
    "RESULT requests=%d seconds=%.3f rps=%.1f created=%d orders_per_s=%.1f non201=%d s2xx=%d s3xx=%d " ..
    "s4xx=%d s5xx=%d p50_us=%d p90_us=%d p99_us=%d p999_us=%d max_us=%d " ..
    "connect=%d read=%d write=%d timeout=%d status=%d bytes=%d\n",
    summary.requests, seconds, rps, c, ops, non201, o2, o3, o4, o5,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9), latency.max,
    e.connect, e.read, e.write, e.timeout, e.status, summary.bytes))
end
