-- wrk script for bench/menu.sh: GET <path of the URL> on every request, against tiptop or nginx.
--
--   wrk -t2 -c64 -d10s --latency -s bench/menu.lua http://127.0.0.1:PORT/api/v1/menu/items
--
-- The path comes from the URL given to wrk (so the same script drives both servers). Like
-- health.lua it defines no request()/response() callbacks, so wrk sends one pre-built request and
-- never enters Lua on the hot path (wrk shares the cores with the server under test).
--
-- done() prints a human summary plus one machine-readable line that bench/menu.sh parses:
--   RESULT requests=<n> seconds=<s> rps=<r> p50_us=<n> p90_us=<n> p99_us=<n> p999_us=<n> max_us=<n>
--          connect=<n> read=<n> write=<n> timeout=<n> status=<n> bytes=<n>
-- (status = responses that were not 2xx/3xx.)

wrk.method = "GET"
wrk.headers["Accept"] = "application/json"
-- bench/static.sh asks for the precompressed form of a web file.
if os.getenv("BENCH_ACCEPT_ENCODING") then wrk.headers["Accept-Encoding"] = os.getenv("BENCH_ACCEPT_ENCODING") end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  local rps = summary.requests / seconds
  io.write("----------------------------------------------------------------\n")
  io.write(string.format("Summary: %d requests in %.2fs = %.0f req/s, %.1f MB/s\n", summary.requests, seconds,
    rps, summary.bytes / seconds / 1e6))
  io.write(string.format("Latency: p50 %.2fms  p90 %.2fms  p99 %.2fms  p99.9 %.2fms  max %.2fms\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency:percentile(99.9) / 1000, latency.max / 1000))
  io.write(string.format("Errors: connect %d  read %d  write %d  timeout %d  non-2xx/3xx %d\n",
    e.connect, e.read, e.write, e.timeout, e.status))
  io.write(string.format(
    "RESULT requests=%d seconds=%.3f rps=%.1f p50_us=%d p90_us=%d p99_us=%d p999_us=%d max_us=%d " ..
    "connect=%d read=%d write=%d timeout=%d status=%d bytes=%d\n",
    summary.requests, seconds, rps, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency:percentile(99.9), latency.max, e.connect, e.read, e.write, e.timeout, e.status, summary.bytes))
end
