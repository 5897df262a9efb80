"""Custom fields' actions in the audit walk (leadtracker/tests/test_every_action_audits.py):
how to call each so that it writes."""

from leadtracker.leads.fields.actions import archive_field, create_field


def _field(w):
    return create_field(w.org, label="Budget", type="money", actor=w.a)


def _archived(w):
    return archive_field(_field(w), actor=w.a)


SCENARIOS = {
    "leads.fields.actions.create_field": lambda w: lambda fn: fn(w.org, label="BHK", type="text", actor=w.a),
    "leads.fields.actions.update_field": lambda w: (
        lambda f: lambda fn: fn(f, label="Budget (₹)", actor=w.a)
    )(_field(w)),
    "leads.fields.actions.archive_field": lambda w: (lambda f: lambda fn: fn(f, actor=w.a))(_field(w)),
    "leads.fields.actions.restore_field": lambda w: (lambda f: lambda fn: fn(f, actor=w.a))(_archived(w)),
}
READ_ONLY = {"leads.fields.actions.key_from": "makes a key from a label"}
