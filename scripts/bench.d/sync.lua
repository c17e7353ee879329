-- wrk script: the exact sync URL with random cookie ids over a few partners, and a count of
-- answered (2xx/3xx) requests printed at the end so the committed pairs can be checked against it.
local partners = { "bench-a", "bench-b", "bench-c", "PO_1a2b3c4d" }
math.randomseed(os.time())

request = function()
    local partner = partners[math.random(#partners)]
    local path = string.format(
        "/bakery/sync/dmpsyncendpoint?site=bench.example&partner=%s&cookieid=%08x%08x&read=false",
        partner, math.random(0, 0x7fffffff), math.random(0, 0x7fffffff))
    return wrk.format("GET", path)
end

done = function(summary, latency, requests)
    io.write(string.format("BENCH requests=%d non2xx=%d errors=%d rps=%.0f p50_ms=%.2f p99_ms=%.2f\n",
        summary.requests, summary.errors.status,
        summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
        summary.requests / (summary.duration / 1e6),
        latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
