-- wrk script: counts every answer that is not 2xx (a redirect to /login means the session was lost)
-- and prints the figures as key=value lines after wrk's own report.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  bad = 0
  redirects = 0
end

function response(status, headers, body)
  if status < 200 or status >= 300 then
    bad = bad + 1
    if status >= 300 and status < 400 then
      redirects = redirects + 1
    end
  end
end

function done(summary, latency, requests)
  local b, r = 0, 0
  for _, t in ipairs(threads) do
    b = b + t:get("bad")
    r = r + t:get("redirects")
  end
  local e = summary.errors
  io.write("---- figures ----\n")
  io.write(string.format("requests=%d\n", summary.requests))
  io.write(string.format("duration_s=%.2f\n", summary.duration / 1e6))
  io.write(string.format("rps=%.1f\n", summary.requests / (summary.duration / 1e6)))
  io.write(string.format("p50_ms=%.2f\n", latency:percentile(50) / 1000))
  io.write(string.format("p90_ms=%.2f\n", latency:percentile(90) / 1000))
  io.write(string.format("p99_ms=%.2f\n", latency:percentile(99) / 1000))
  io.write(string.format("max_ms=%.2f\n", latency.max / 1000))
  io.write(string.format("non_2xx=%d\n", b))
  io.write(string.format("redirects=%d\n", r))
  io.write(string.format("socket_errors=%d\n", e.connect + e.read + e.write + e.timeout))
end
