-- wrk script for bench/board.sh: GET <URL> (/api/v1/admin/orders/board) with a staff member's
-- bearer token, as the kitchen's screens poll it.
--
--   BENCH_TOKEN="<jwt>" wrk -t2 -c8 -d10s --latency -s bench/board.lua http://127.0.0.1:PORT/api/v1/admin/orders/board
--
-- No per-request callbacks: wrk sends one pre-built request and spends as little CPU as it can.
local token = os.getenv("BENCH_TOKEN")
if token == nil or token == "" then error("board.lua: set BENCH_TOKEN to a staff member's access token") end
wrk.method = "GET"
wrk.headers["Authorization"] = "Bearer " .. token
wrk.headers["Accept-Encoding"] = "identity"
