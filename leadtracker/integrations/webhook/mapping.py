"""A generic webhook's field mapping: which path in the body fills which field of the lead.

Kept in ``connector.options["mapping"]`` as {field: path}; read when each payload is processed,
so a payload that failed under a wrong mapping comes right when it is replayed after the fix.
"""

import hashlib
import json

from django.utils.translation import gettext as _

from leadtracker.integrations.webhook.paths import BadPath, as_text, resolve, steps
from leadtracker.leads.fields.incoming import target_key

# The lead's fields a path may fill, in the order the settings page lists them. ``source`` is
# where the sender says the lead came from (a campaign, a portal): it becomes the attribution;
# ``id`` is the sender's own id for the lead, the key repeats are recognised by.
FIELDS = ("name", "phone", "alt_phone", "email", "company", "city", "notes", "source", "id")
# A custom field is a target too: "fields.budget": "answers.budget" (checked as the API checks it).
# What most form tools send, so a new webhook works before anyone edits its mapping.
DEFAULT = {
    "name": "name",
    "phone": "phone",
    "email": "email",
    "company": "company",
    "city": "city",
    "notes": "message",
}


def clean(mapping) -> dict:
    """The mapping as saved: known fields, paths that parse, empty ones left out. Raises
    BadPath naming the field."""
    if not isinstance(mapping, dict):
        raise BadPath(_("the mapping must be a set of field: path pairs"))
    out = {}
    for name, path in mapping.items():
        if name not in FIELDS and target_key(name) is None:
            known = ", ".join(FIELDS)
            raise _of_field(
                name, _("not a lead field (one of %(known)s, or fields.<key>)") % {"known": known}
            )
        if path in (None, ""):
            continue
        if not isinstance(path, str):
            raise _of_field(name, _("the path must be text"))
        try:
            steps(path)
        except BadPath as exc:
            raise _of_field(name, exc.args[0]) from None
        out[name] = path.strip()
    if "phone" not in out:
        raise _of_field("phone", _("map the path of the phone number (a lead needs one)"))
    return out


def _of_field(name: str, reason: str) -> BadPath:
    # One gettext'd sentence (not "name: " + words): it has a recipe, so a payload failed on it
    # reads in each reader's language (lib/stored_text.py).
    return BadPath(_("%(name)s: %(error)s") % {"name": name, "error": reason}, field=name, reason=reason)


def of(connector) -> dict:
    """The connector's mapping (JSON text when the command line gave it), checked again as it
    is read: one stored before the check at saving existed would otherwise fail as a crash.
    BadPath says what is wrong with it."""
    return of_given(connector.options.get("mapping") or DEFAULT)


def of_given(given) -> dict:
    """A mapping as given, a dict or JSON text, checked."""
    if isinstance(given, str):
        try:
            given = json.loads(given)
        except ValueError:
            raise BadPath(_('the field mapping is not JSON ({"phone": "contact.phone", …})')) from None
    return clean(given)


def value(body, mapping: dict, name: str) -> str:
    path = mapping.get(name)
    if not path:
        return ""
    try:
        return as_text(resolve(body, path))
    except BadPath as exc:
        message = _("%(name)s (%(path)s): %(error)s") % {"name": name, "path": path, "error": exc.args[0]}
        raise BadPath(message, field=name, reason=exc.args[0]) from None


def body_hash(body) -> str:
    """The same body sent twice hashes the same, whatever order its keys came in."""
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()[:40]
