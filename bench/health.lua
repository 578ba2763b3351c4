-- wrk script: GET /health on every request.
--
--   wrk -t2 -c64 -d10s --latency -s bench/health.lua http://127.0.0.1:PORT
--
-- Deliberately defines no request()/response() callbacks: with neither, wrk sends one pre-built
-- request and never enters Lua on the hot path, so the load generator costs as little CPU as
-- possible (it shares the machine with the server). Non-2xx responses are still counted by wrk
-- ("Non-2xx or 3xx responses"), and done() turns any of them into a loud warning.

wrk.method = "GET"
wrk.path = "/health"
wrk.headers["Accept"] = "application/json"

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write("----------------------------------------------------------------\n")
  io.write(string.format("Summary: %d requests in %.2fs = %.0f req/s\n", summary.requests, seconds,
    summary.requests / seconds))
  io.write(string.format("Latency: p50 %.2fms  p90 %.2fms  p99 %.2fms  p99.9 %.2fms  max %.2fms\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency:percentile(99.9) / 1000, latency.max / 1000))
  io.write(string.format("Errors: connect %d  read %d  write %d  timeout %d  non-2xx/3xx %d\n",
    e.connect, e.read, e.write, e.timeout, e.status))
  if e.connect + e.read + e.write + e.timeout + e.status > 0 then
    io.write("WARNING: errors occurred; the figures above are not a clean /health measurement\n")
  end
end
