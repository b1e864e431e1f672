-- wrk script: print the 95th percentile latency (wrk --latency shows 50/75/90/99).
function done(summary, latency, requests)
  io.write(string.format("P95_US %d\n", latency:percentile(95)))
end
