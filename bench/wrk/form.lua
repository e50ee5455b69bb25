-- POST a form body to wrk's URL; bodies come from a file, one per line, and each thread
-- sends them in turn (one body: one user; several: requests spread over several users).
-- Usage: wrk -s form.lua URL -- BODIES_FILE
-- At the end it prints one line "WRKJSON {...}" with the figures bench/load.py reads.

local bodies = {}
local next_body = 1

function init(args)
  local file = assert(io.open(args[1], "rb"))
  for line in file:lines() do
    if #line > 0 then
      bodies[#bodies + 1] = line
    end
  end
  file:close()
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  -- Whole requests built once: the generator's work per request is a table lookup.
  for i, body in ipairs(bodies) do
    bodies[i] = wrk.format(nil, nil, nil, body)
  end
  -- Each thread starts at a different body, so two threads do not walk in step.
  next_body = (math.random(#bodies) - 1) % #bodies + 1
end

function request()
  local built = bodies[next_body]
  next_body = next_body % #bodies + 1
  return built
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests": %d, "duration_us": %d, "bytes": %d, "connect_errors": %d,'
      .. ' "read_errors": %d, "write_errors": %d, "status_errors": %d, "timeouts": %d,'
      .. ' "p50_us": %d, "p90_us": %d, "p99_us": %d, "mean_us": %.1f}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write,
    e.status, e.timeout, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.mean))
end
