-- wrk script: the storage floor's POST (one committed INSERT of this body each).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.body = "name=Bench+Applicant&summary=I+need+help+with+my+asylum+application.&consent=y"

function done(summary, latency, requests)
  io.write(string.format("P95_US %d\n", latency:percentile(95)))
end
