-- wrk script of the benchmarks: prints one Markdown table cell run "requests | p50 ms | p95 ms | p99 ms | errors" at
-- the end. With PATHS set to a file of request paths (one per line), requests cycle through them; without, wrk
-- requests its URL.
local paths = {}
local file = os.getenv("PATHS")
if file then
  for line in io.lines(file) do paths[#paths + 1] = line end
  local i = 0
  request = function()
    i = i % #paths + 1
    return wrk.format("GET", paths[i])
  end
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("%d | %.2f | %.2f | %.2f | %d\n", summary.requests, latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    e.status + e.connect + e.read + e.write + e.timeout))
end
