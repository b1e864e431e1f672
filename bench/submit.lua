-- wrk script: the full public submission, as a browser does it.
--   GET /help  ->  read the form token  ->  [POST /help/check]  ->  POST /help/submit
-- Each wrk thread keeps a pool of tokens read from the pages it received, so any
-- connection can carry the next step. A submission counts only when its answer
-- is the confirmation page with a reference. Pass "check" after -- to include
-- the check-your-answers step:  wrk ... -s bench/submit.lua URL -- check
-- done() prints one line the benchmark reads:
--   SUBMITTED <n> FAILED <n> PAGES <n> DURATION_US <n> P95_US <n>

local answers = table.concat({
  "represented=no", "can_pay=no", "household_size=3", "monthly_income=850",
  "claim_types=asylum", "claim_types=cat", "detained=no", "detention_facility=",
  "hearing=yes", "hearing_day=12", "hearing_month=5", "hearing_year=2027",
  "arrival_day=", "arrival_month=2", "arrival_year=2026", "i589_filed=no",
  "asker=self", "in_us=yes", "decided=no", "birth_month=4", "birth_year=1990", "share_consent=no",
  "name=Bench+Applicant", "nationality=SV", "preferred_language=es", "state=NY",
  "phone=%2B1+212+555+0142", "email=", "safe_to_message=yes",
  "summary=I+need+help+with+my+asylum+application.", "consent=y",
}, "&")
local post_headers = { ["Content-Type"] = "application/x-www-form-urlencoded" }
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  with_check = args[1] == "check"
  to_check, to_submit = {}, {}
  submitted, failed, pages = 0, 0, 0
end

function request()
  local token = table.remove(to_submit)
  if token then
    return wrk.format("POST", "/help/submit", post_headers, answers .. "&csrf_token=" .. token)
  end
  token = table.remove(to_check)
  if token then
    return wrk.format("POST", "/help/check", post_headers, answers .. "&csrf_token=" .. token)
  end
  return wrk.format("GET", "/help")
end

function response(status, headers, body)
  pages = pages + 1
  if status == 303 then
    -- Stored: the answer redirects to the confirmation (not fetched here, as a
    -- browser would; the redirect is only sent once the request is committed).
    submitted = submitted + 1
    return
  end
  if status ~= 200 then
    failed = failed + 1
    return
  end
  if body:find('class="reference"', 1, true) then
    submitted = submitted + 1
    return
  end
  local token = body:match('name="csrf_token" value="([^"]+)"')
  if not token then
    failed = failed + 1
  elseif body:find('action="/help/submit"', 1, true) or not with_check then
    table.insert(to_submit, token) -- the check page (or the form, without the check step)
  else
    table.insert(to_check, token)
  end
end

function done(summary, latency, requests)
  local s, f, p = 0, 0, 0
  for _, thread in ipairs(threads) do
    s = s + thread:get("submitted")
    f = f + thread:get("failed")
    p = p + thread:get("pages")
  end
  io.write(string.format("SUBMITTED %d FAILED %d PAGES %d DURATION_US %d P95_US %d\n",
    s, f, p, summary.duration, latency:percentile(95)))
end
