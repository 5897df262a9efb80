"""Exotel's and Twilio's call APIs on loopback, for the tests: each checks what the real one
checks first (the account in the path, basic auth with the connector's credentials), keeps
every form it was sent, and answers as the provider does — a call id, or its error shape."""

import base64
import threading
import urllib.parse
from http.server import ThreadingHTTPServer

from leadtracker.integrations.tests.fake_http import JSONHandler


class FakeLine:
    """``kind`` "exotel" or "twilio"; ``user``/``password`` the credentials it accepts;
    ``fail`` (status, body) to answer the next call with instead of success."""

    def __init__(self, kind: str, *, account: str, user: str, password: str):
        self.kind, self.account = kind, account
        self.expected_auth = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
        self.calls: list[dict] = []  # each: path, auth, form (name -> list of values)
        self.fail: tuple[int, dict] | None = None
        self.details: dict[str, dict] = {}  # Exotel's Call details, by call id
        self.asked: list[str] = []  # the paths of the GETs it answered
        self.count = 0
        line = self

        class Handler(JSONHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                form = urllib.parse.parse_qs(self.rfile.read(length).decode(), keep_blank_values=True)
                auth = self.headers.get("Authorization")
                line.calls.append({"path": self.path, "auth": auth, "form": form})
                status, body = line.answer(self.path, auth)
                self.send_json(status, body)

            def do_GET(self):
                auth = self.headers.get("Authorization")
                line.asked.append(self.path)
                status, body = line.details_of(self.path, auth)
                self.send_json(status, body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def path(self) -> str:
        if self.kind == "exotel":
            return f"/v1/Accounts/{self.account}/Calls/connect.json"
        return f"/2010-04-01/Accounts/{self.account}/Calls.json"

    def answer(self, path: str, auth: str | None) -> tuple[int, dict]:
        if auth != self.expected_auth:
            if self.kind == "exotel":
                refused = "Authentication is required to view this page"
                return 401, {"RestException": {"Status": 401, "Message": refused}}
            return 401, {"code": 20003, "message": "Authenticate", "status": 401}
        if path != self.path():
            return 404, {"RestException": {"Status": 404, "Message": "Not found"}}
        if self.fail is not None:
            found, self.fail = self.fail, None
            return found
        self.count += 1
        sid = f"{self.kind[:2]}{self.count:030d}"
        if self.kind == "exotel":
            return 200, {"Call": {"Sid": sid, "Status": "in-progress", "Direction": "outbound-api"}}
        return 201, {"sid": f"CA{sid}", "status": "queued"}

    def details_of(self, path: str, auth: str | None) -> tuple[int, dict]:
        """Exotel's Call details API: /v1/Accounts/<sid>/Calls/<CallSid>.json?details=true."""
        if self.kind == "twilio":
            return self.twilio_calls(path, auth)
        if auth != self.expected_auth:
            return 401, {"RestException": {"Status": 401, "Message": "Authentication required"}}
        prefix = f"/v1/Accounts/{self.account}/Calls/"
        call_id = path.removeprefix(prefix).split(".json")[0]
        if not path.startswith(prefix) or call_id not in self.details:
            return 404, {"RestException": {"Status": 404, "Message": "Call not found"}}
        return 200, {"Call": {"Sid": call_id, **self.details[call_id]}}

    def twilio_calls(self, path: str, auth: str | None) -> tuple[int, dict]:
        """Twilio's Calls API: one Call resource (/Calls/<CallSid>.json), or the list of a
        call's children (/Calls.json?ParentCallSid=<CallSid>); ``details`` holds the
        resources by sid, each with its ``parent_call_sid``."""
        if auth != self.expected_auth:
            return 401, {"code": 20003, "message": "Authenticate", "status": 401}
        prefix = f"/2010-04-01/Accounts/{self.account}/Calls"
        where, _, query = path.partition("?")
        if where == f"{prefix}.json":
            parent = urllib.parse.parse_qs(query).get("ParentCallSid", [""])[0]
            found = [
                {"sid": sid, **d} for sid, d in self.details.items() if d.get("parent_call_sid") == parent
            ]
            return 200, {"calls": found, "page": 0, "page_size": 50}
        call_id = where.removeprefix(f"{prefix}/").removesuffix(".json")
        if not where.startswith(f"{prefix}/") or call_id not in self.details:
            return 404, {
                "code": 20404,
                "message": f"The requested resource {where} was not found",
                "status": 404,
            }
        return 200, {"sid": call_id, **self.details[call_id]}

    def form(self, index: int = -1) -> dict:
        """The index'th call's form, one value a name."""
        return {k: v[0] for k, v in self.calls[index]["form"].items()}

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
