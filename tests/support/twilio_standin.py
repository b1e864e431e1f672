"""A stand-in for Twilio's Messages API on the loopback, for the real ``twilio``
client to talk to: ``POST /2010-04-01/Accounts/{Sid}/Messages.json`` with the
form fields To, From, Body and StatusCallback, answered with Twilio-shaped JSON
(a ``sid`` and ``status``). Every request is kept (path, Authorization header,
form fields) so a test can check what the library sent. ``fail_next`` makes it
answer 500 that many times (an outage); ``reject_next`` answers 400 as Twilio
does for a number that cannot get messages."""

import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

MESSAGES_PATH = re.compile(r"^/2010-04-01/Accounts/(AC[0-9a-f]{32})/Messages\.json$")


@dataclass
class Received:
    path: str
    authorization: str
    content_type: str
    form: dict[str, str] = field(default_factory=dict)


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):  # keep the test output clean
        pass

    def do_POST(self):
        server = self.server
        length = int(self.headers.get("Content-Length") or 0)
        form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
        server.requests.append(
            Received(
                self.path,
                self.headers.get("Authorization", ""),
                self.headers.get("Content-Type", ""),
                form,
            )
        )
        match = MESSAGES_PATH.match(self.path)
        if not match:
            return self._answer(404, {"code": 20404, "message": "Not found", "status": 404})
        if server.fail_next > 0:
            server.fail_next -= 1
            return self._answer(500, {"code": 20500, "message": "Internal error", "status": 500})
        if server.reject_next > 0:
            server.reject_next -= 1
            message = "The 'To' number is not a valid phone number."
            return self._answer(400, {"code": 21211, "message": message, "status": 400})
        server.counter += 1
        sid = f"SM{server.counter:032x}"
        server.sent.append({"sid": sid, **form})
        return self._answer(
            201,
            {
                "sid": sid,
                "account_sid": match.group(1),
                "to": form.get("To"),
                "from": form.get("From"),
                "body": form.get("Body"),
                "status": "queued",
                "direction": "outbound-api",
                "api_version": "2010-04-01",
                "num_segments": "1",
                "uri": f"/2010-04-01/Accounts/{match.group(1)}/Messages/{sid}.json",
            },
        )

    def _answer(self, status: int, payload: dict):
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class TwilioStandIn:
    def __init__(self):
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.server.requests = []
        self.server.sent = []
        self.server.fail_next = 0
        self.server.reject_next = 0
        self.server.counter = 0
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    @property
    def requests(self) -> list[Received]:
        return self.server.requests

    @property
    def sent(self) -> list[dict]:
        """The messages it accepted (each with its sid), in order."""
        return self.server.sent

    def fail(self, times: int) -> None:
        self.server.fail_next = times

    def reject(self, times: int) -> None:
        self.server.reject_next = times

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
