"""The integrations' actions in the audit walk (leadtracker/tests/test_every_action_audits.py):
how to call each so that it writes. A scenario gets the walk's world (``w.p`` the people,
``w.org``, ``w.a`` an actor, ``w.lead``) and returns a function calling the action it is given."""

from leadtracker.integrations.actions import add_connector, receive_payload

GOOGLE_BODY = {
    "lead_id": "audit-1",
    "user_column_data": [
        {"column_id": "FULL_NAME", "string_value": "Ravi Kumar"},
        {"column_id": "PHONE_NUMBER", "string_value": "98111 22334"},
    ],
}


def _connector(w):
    return add_connector(w.org, kind="google-ads", actor=w.a)[0]


def _payload(w, failed=""):
    return receive_payload(_connector(w), "audit-1", GOOGLE_BODY, failed=failed)[0]


def _plain(call):
    return lambda w: lambda fn: call(fn, w)


def _with(setup, call):
    def scenario(w):
        made = setup(w)
        return lambda fn: call(fn, w, made)

    return scenario


SCENARIOS = {
    "integrations.actions.add_connector": _plain(lambda fn, w: fn(w.org, kind="google-ads", actor=w.a)),
    "integrations.actions.update_connector": _with(
        _connector, lambda fn, w, c: fn(c, actor=w.a, name="Google leads", options={"key": "new-key"})
    ),
    "integrations.actions.remove_connector": _with(_connector, lambda fn, w, c: fn(c, actor=w.a)),
    "integrations.actions.receive_payload": _with(
        _connector, lambda fn, w, c: fn(c, "audit-2", GOOGLE_BODY, process=False)
    ),
    "integrations.actions.process_payload": _with(_payload, lambda fn, w, p: fn(p)),
    "integrations.actions.replay_payload": _with(
        lambda w: _payload(w, failed="a body that could not be read"), lambda fn, w, p: fn(p, actor=w.a)
    ),
}
