-- wrk script of scripts/bench-bookings.sh: each request books one prepared
-- (session cookie, prescription, slot) line of the file named by the
-- environment variable BOOKINGS, through the same form post a browser sends.
-- Each wrk thread takes every n-th line. The summary says how many
-- bookings were confirmed and how many refused (slot taken), and the
-- latency percentiles of all of them.

local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end

function init(args)
  lines = {}
  local index = 0
  local file = assert(io.open(os.getenv("BOOKINGS"), "r"))
  local total_threads = tonumber(os.getenv("WRK_THREADS"))
  for line in file:lines() do
    if index % total_threads == id - 1 then
      table.insert(lines, line)
    end
    index = index + 1
  end
  file:close()
  next_line = 1
  booked = 0
  refused = 0
  failed = 0
  wrapped = 0
  origin = os.getenv("ORIGIN")
end

function request()
  local line = lines[next_line]
  next_line = next_line % #lines + 1
  if next_line == 1 then
    wrapped = 1 -- every line sent once: the rest repeat (and are refused)
  end
  local cookie, nre, slot = line:match("([^\t]+)\t([^\t]+)\t([^\t]+)")
  local body = "nre=" .. nre .. "&slot_id=" .. slot
  return wrk.format("POST", "/prenotazioni/prenota", {
    ["Cookie"] = cookie,
    ["Origin"] = origin,
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }, body)
end

function response(status, headers, body)
  local location = headers["location"] or headers["Location"] or ""
  if status == 303 and location:find("^/prenotazioni/") and not location:find("^/prenotazioni/cerca") then
    booked = booked + 1
  elseif status == 303 then
    refused = refused + 1
  else
    failed = failed + 1
  end
end

function done(summary, latency, requests)
  local b, r, f, w = 0, 0, 0, 0
  for _, thread in ipairs(threads) do
    w = w + thread:get("wrapped")
    b = b + thread:get("booked")
    r = r + thread:get("refused")
    f = f + thread:get("failed")
  end
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "RESULT requests=%d booked=%d refused=%d failed=%d seconds=%.1f req_per_s=%.0f booked_per_s=%.0f p50_ms=%.1f p95_ms=%.1f p99_ms=%.1f%s\n",
    summary.requests, b, r, f, seconds, summary.requests / seconds, b / seconds,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    w > 0 and " (lines ran out: prepare more)" or ""))
end
