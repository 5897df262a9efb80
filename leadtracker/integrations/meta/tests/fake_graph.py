"""The Graph API on loopback: answers ``GET /{leadgen_id}`` with the lead it was given and
``GET /{form_id}?fields=name`` with the form's name, checks the access token, and can be told
to fail as Graph does (an expired token is error code 190, HTTP 400)."""

import threading
import urllib.parse
from http.server import ThreadingHTTPServer

from leadtracker.integrations.tests.fake_http import JSONHandler


class FakeGraph:
    def __init__(self, token: str = "page-token-1"):
        self.token = token
        self.leads: dict[str, dict] = {}
        self.forms: dict[str, str] = {}
        self.requests: list[dict] = []
        graph = self

        class Handler(JSONHandler):
            def do_GET(self):
                url = urllib.parse.urlsplit(self.path)
                query = dict(urllib.parse.parse_qsl(url.query))
                graph.requests.append({"path": url.path, **query})
                status, body = graph.answer(url.path.strip("/"), query)
                self.send_json(status, body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/v21.0"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05})
        self.thread.daemon = True
        self.thread.start()

    def answer(self, path: str, query: dict) -> tuple[int, dict]:
        object_id = path.removeprefix("v21.0/")
        if query.get("access_token") != self.token:
            error = {
                "message": "Error validating access token: Session has expired on Friday, 04-Dec-26.",
                "type": "OAuthException",
                "code": 190,
                "error_subcode": 463,
            }
            return 400, {"error": error}
        if object_id in self.leads:
            return 200, self.leads[object_id]
        if object_id in self.forms:
            return 200, {"id": object_id, "name": self.forms[object_id]}
        unknown = {"message": "Unsupported get request.", "type": "GraphMethodException", "code": 100}
        return 400, {"error": unknown}

    def add_lead(self, leadgen_id: str, form_id: str = "9001", **fields) -> dict:
        """A lead as Graph gives it: field_data of {name, values}."""
        lead = {
            "id": leadgen_id,
            "created_time": "2026-12-06T10:15:00+0000",
            "form_id": form_id,
            "ad_id": "6001",
            "campaign_name": fields.pop("campaign_name", "Diwali offers"),
            "field_data": [
                {"name": k, "values": v if isinstance(v, list) else [v]} for k, v in fields.items()
            ],
        }
        self.leads[leadgen_id] = lead
        return lead

    def close(self):
        self.server.shutdown()
        self.server.server_close()
