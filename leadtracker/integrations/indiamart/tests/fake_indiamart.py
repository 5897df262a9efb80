"""IndiaMART's CRM pull API (v2) on loopback, for the tests.

It answers as the real one does, by the CODE in the body with HTTP 200: 401 to a key it does
not know, 400 to a window wider than 7 days or a time it cannot read, 429 to a key that asks
again within 5 minutes of its last call (and for 15 minutes after that), 204 when no enquiry
falls in the window, 200 with the enquiries whose QUERY_TIME is in it. Its clock is the
process's (time_machine moves it with the test's). A test may also script the next answers
(``fake.script.append(429)``) and see every call it got (``fake.calls``).
"""

import datetime as dt
import threading
import urllib.parse
from http.server import ThreadingHTTPServer

from leadtracker.integrations.indiamart.window import IST, parse_api_time, parse_query_time
from leadtracker.integrations.tests.fake_http import JSONHandler


def enquiry(n: int, *, at: dt.datetime, mobile: str | None = None, **extra) -> dict:
    """One enquiry in the documented shape, number ``n``, made at ``at``."""
    record = {
        "UNIQUE_QUERY_ID": str(2_700_000_000 + n),
        "QUERY_TYPE": "W",
        "QUERY_TIME": at.astimezone(IST).strftime("%Y-%m-%d %H:%M:%S"),
        "SENDER_NAME": f"Buyer {n}",
        "SENDER_MOBILE": mobile if mobile is not None else f"+91-98{n:08d}",
        "SENDER_EMAIL": f"buyer{n}@example.in",
        "SUBJECT": "Requirement for Steel Almirah",
        "SENDER_COMPANY": f"Buyer {n} Traders",
        "SENDER_ADDRESS": "12, MG Road, Pune, Maharashtra, 411001",
        "SENDER_CITY": "Pune",
        "SENDER_STATE": "Maharashtra",
        "SENDER_PINCODE": "411001",
        "SENDER_COUNTRY_ISO": "IN",
        "SENDER_MOBILE_ALT": "",
        "SENDER_PHONE": "",
        "SENDER_PHONE_ALT": "",
        "SENDER_EMAIL_ALT": "",
        "QUERY_PRODUCT_NAME": "Steel Almirah",
        "QUERY_MESSAGE": "I want to buy Steel Almirah.<br>Quantity: 10 Piece<br>Usage: Office",
        "QUERY_MCAT_NAME": "Steel Almirah",
        "CALL_DURATION": "",
        "RECEIVER_MOBILE": None,
    }
    record.update(extra)
    return record


class FakeIndiaMART:
    POLL_EVERY = dt.timedelta(minutes=5)
    BLOCKED_FOR = dt.timedelta(minutes=15)

    def __init__(self, key: str = "mRyzEbts7HrEQfei4XGD7l+IqlTFnzQ=", port: int = 0):
        self.key = key
        self.enquiries: list[dict] = []
        self.script: list[int] = []  # CODEs to answer next, whatever was asked
        self.calls: list[tuple[dt.datetime, dt.datetime]] = []
        self.answers: list[int] = []
        self.enforce_rate = True
        self._last_call: dt.datetime | None = None
        self._blocked_until: dt.datetime | None = None
        fake = self

        class Handler(JSONHandler):
            def do_GET(self):
                code, body = fake.answer(urllib.parse.urlsplit(self.path))
                fake.answers.append(code)
                self.send_json(200, body)

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()

    @staticmethod
    def _body(code: int, message: str, records=None) -> tuple[int, dict]:
        status = "SUCCESS" if code == 200 else "FAILURE"
        return code, {
            "CODE": code,
            "STATUS": status,
            "MESSAGE": message,
            "TOTAL_RECORDS": len(records or []),
            "RESPONSE": records or [],
        }

    def answer(self, url) -> tuple[int, dict]:
        if url.path != "/wservce/crm/crmListing/v2/":
            return self._body(404, "no such service")
        query = dict(urllib.parse.parse_qsl(url.query))
        now = dt.datetime.now(dt.UTC)
        if query.get("glusr_crm_key") != self.key:
            return self._body(401, "The key is invalid or has expired. Please generate a new key.")
        if self.script:
            return self._body(self.script.pop(0), "scripted answer")
        if self._blocked_until and now < self._blocked_until:
            return self._body(
                429, "It is advised to hit this API once in every 5 minutes. Try after 15 minutes."
            )
        if self.enforce_rate and self._last_call and now - self._last_call < self.POLL_EVERY:
            self._blocked_until = now + self.BLOCKED_FOR
            return self._body(
                429, "It is advised to hit this API once in every 5 minutes. Try after 15 minutes."
            )
        self._last_call = now
        try:
            start, end = parse_api_time(query["start_time"]), parse_api_time(query["end_time"])
        except (KeyError, ValueError):
            return self._body(400, "start_time and end_time must look like 06-Dec-202610:05:00")
        if end - start > dt.timedelta(days=7) or end < start:
            return self._body(400, "The difference between start_time and end_time must be at most 7 days.")
        self.calls.append((start, end))
        found = [e for e in self.enquiries if start <= parse_query_time(e["QUERY_TIME"]) <= end]
        if not found:
            return self._body(
                204, "There are no leads in the given time duration. Please try a different duration."
            )
        return self._body(200, "Success", found)
