"""A partner's static page on its own origin, for the framed-page browser tests."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class HostSite:
    """A partner's static page on its own origin; ``show(snippet)`` sets its content."""

    def __init__(self):
        self.page = b""
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's naming)
                status, body = (200, site.page) if self.path == "/" else (404, b"")
                self.send_response(status)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def show(self, snippet: str) -> None:
        self.page = (
            '<!doctype html><html lang="en"><head><meta charset="utf-8">'
            "<title>Partner press page</title></head><body>"
            f"<h1>Partner press page</h1><p>News of the week.</p>{snippet}</body></html>"
        ).encode()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)
