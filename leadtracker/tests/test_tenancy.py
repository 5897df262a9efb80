"""Another organisation's object answers 404 on every page and every API operation.

The test walks all URL patterns and all operations of the OpenAPI schema, so a route added
later is covered without anyone remembering to add it.

An object of another organisation is asked for in requests that must answer 404 (or 403) and so
change nothing: it is made once per organisation and name (a request that changed it would have
failed its own check first). Our own objects, whose control requests are served and may delete
or release what they name, are made fresh for each operation.
"""

import datetime as dt
import functools
import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from leadtracker.api import api
from leadtracker.testing import login_client, make_org, token_client
from leadtracker.tests.tenancy import BODY_FACTORIES, FACTORIES, PUBLIC_PARAMETERS

# The PostgreSQL pass of make test leaves these walks to the SQLite pass (conftest.py).
pytestmark = pytest.mark.same_on_every_database(
    reason=(
        "another organisation's id is refused by the organisation filter of an ORM lookup, the same"
        " query on both databases; database-specific faults of the same operations are the API"
        " fuzzer's (test_api_fuzz.py), which runs on both"
    )
)

SKIPPED_NAMESPACES = {
    "admin": "Django admin: superusers only, and they run the server itself",
    "api": "walked through the OpenAPI schema below",
}


def walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace in SKIPPED_NAMESPACES:
                continue
            yield from walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


PARAM = re.compile(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>")


def web_routes():
    routes = []
    for route, _entry in walk(get_resolver().url_patterns):
        names = [m.group("name") for m in PARAM.finditer(route)]
        if names and not all(n in PUBLIC_PARAMETERS for n in names):
            routes.append((route, names))
    return routes


def fill(route, values):
    return "/" + PARAM.sub(lambda m: str(values[m.group("name")]), route)


@pytest.fixture
def two_orgs(db):
    return make_org("acme"), make_org("globex")


def object_ids(people, names, made=None):
    """An object of ``people``'s organisation for each name: made now, or taken from ``made``
    (a MadeWhenNamed over FACTORIES) when the requests that use it must change nothing."""
    missing = [n for n in names if n not in FACTORIES and n not in PUBLIC_PARAMETERS]
    assert not missing, f"add a factory for URL parameter(s) {missing} to leadtracker/tests/tenancy.py"
    return {n: made[n] if made is not None else FACTORIES[n](people) for n in names}


@pytest.mark.slow(reason="walks every page with an object (2-4 s quiet, 20-45 s in a loaded CI)")
@pytest.mark.parametrize("role", ["olga", "alice"])
def test_every_page_with_an_object_answers_404_for_another_organisation(two_orgs, role):
    """As the owner (the strongest role: nothing is refused for lack of rights, so a 404 can only
    come from the organisation check) and as an agent (the weakest: another organisation's object
    must be answered like one that does not exist)."""
    acme, globex = two_orgs
    routes = web_routes()
    assert len(routes) >= 4, routes  # the walk found the pages; it cannot pass by finding none
    client = login_client(getattr(acme, role))
    their_objects = MadeWhenNamed(globex, FACTORIES)
    for route, names in routes:
        theirs = fill(route, object_ids(globex, names, their_objects))
        statuses = {method: getattr(client, method)(theirs).status_code for method in ("get", "post")}
        if role != "olga":
            # A weaker role may be refused the page for its role (403) before any lookup; what
            # matters is that another organisation's id is answered exactly like an id that
            # does not exist, so nothing is learnt about it.
            nowhere = fill(route, {n: 987654321 for n in names})
            assert statuses == {m: getattr(client, m)(nowhere).status_code for m in ("get", "post")}, theirs
            continue
        assert set(statuses.values()) <= {404, 405} and 404 in statuses.values(), (theirs, statuses)
        # Control: the same route with our own object exists and is served (made here: the
        # agent's walk above has no use for our objects).
        ours = fill(route, object_ids(acme, names))
        ours_status = {m: getattr(client, m)(ours).status_code for m in ("get", "post")}
        assert any(s not in (404, 405) for s in ours_status.values()), (ours, ours_status)


def example(schema, components, ids=None):
    """A minimal valid value for a JSON schema, so that a 404 is not hidden behind a 422.
    Properties naming objects (``ids``) are filled with the given organisation's ids."""
    ids = ids or {}
    if "$ref" in schema:
        return example(components[schema["$ref"].split("/")[-1]], components, ids)
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            options = [s for s in schema[key] if s.get("type") != "null"]
            return example(options[0], components, ids)
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object":
        required = schema.get("required", [])
        props = schema.get("properties", {})
        body = {name: example(props[name], components, ids) for name in required}
        body.update({name: ids[name] for name in props if name in ids})
        return body
    if kind == "array":
        return [example(schema["items"], components)] if schema.get("minItems") else []
    if kind == "integer":
        return max(1, schema.get("minimum", 1))
    if kind == "number":
        return 1.0
    if kind == "boolean":
        return False
    choices = re.fullmatch(r"\^-?\(([^()]+)\)\$", schema.get("pattern", ""))
    if choices:  # a pattern such as ^(assign|status)$: its first choice
        return choices.group(1).split("|")[0]
    fmt = schema.get("format")
    # Tomorrow, not a fixed date: the API refuses a follow-up more than a year late, and a fixed
    # date would get there as the years pass.
    soon = timezone.now().astimezone(dt.timezone(dt.timedelta(hours=5, minutes=30))) + dt.timedelta(days=1)
    return {
        "date-time": soon.isoformat(timespec="seconds"),
        "date": soon.date().isoformat(),
        "time": "10:00:00",
    }.get(
        fmt,
        "walker@example.in"
        if "email" in str(schema.get("title", "")).lower()
        else "x" * max(1, schema.get("minLength", 1)),
    )


@functools.cache
def openapi_schema():
    """The API's OpenAPI document, made once a run (0.1 s each time; the walks below read it for
    every parameter). Nothing here changes it."""
    return api.get_openapi_schema()


def api_operations():
    spec = openapi_schema()
    components = spec.get("components", {}).get("schemas", {})
    for path, methods in spec["paths"].items():
        names = re.findall(r"{(\w+)}", path)
        if not names or all(n in PUBLIC_PARAMETERS for n in names):
            continue
        for method, op in methods.items():
            content = op.get("requestBody", {}).get("content", {}).get("application/json")
            schema = content["schema"] if content else None
            yield method, path, names, schema, components


class MadeWhenNamed(dict):
    """The ids of ``factories`` (BODY_FACTORIES unless told) for one organisation, each object
    made the first time it is named (making all of them for every request made a dozen objects,
    leads among them, to use one or two)."""

    def __init__(self, people, factories=BODY_FACTORIES):
        super().__init__(dict.fromkeys(factories))
        self.people = people
        self.factories = factories

    def __getitem__(self, name):
        if super().__getitem__(name) is None:
            self[name] = self.factories[name](self.people)
        return super().__getitem__(name)


@pytest.mark.slow(reason="walks every API operation on an object (2-3 s quiet, 20-45 s in a loaded CI)")
@pytest.mark.parametrize(("auth", "role"), [("token", "olga"), ("session", "olga"), ("token", "alice")])
def test_every_api_operation_on_an_object_answers_404_for_another_organisation(two_orgs, auth, role):
    acme, globex = two_orgs
    operations = list(api_operations())
    assert len(operations) >= 6, operations
    member = getattr(acme, role)
    client = token_client(member) if auth == "token" else login_client(member)
    # For the requests that must be refused (404, or 403 for the role): made once per run.
    their_objects, their_body_ids, our_body_ids = (
        MadeWhenNamed(globex, FACTORIES),
        MadeWhenNamed(globex),
        MadeWhenNamed(acme),
    )
    for method, path, names, schema, components in operations:
        theirs = path.format(**object_ids(globex, names, their_objects))

        def send(url, body_ids, method=method, schema=schema, components=components):
            if schema is None:
                return getattr(client, method)(url)
            body = example(schema, components, body_ids)
            return getattr(client, method)(url, data=body, content_type="application/json")

        response = send(theirs, our_body_ids)
        if role != "olga":
            # As for pages: answered exactly like an id that does not exist (404, or a 403 for
            # the role that comes before any lookup).
            nowhere = send(path.format(**{n: 987654321 for n in names}), our_body_ids)
            assert response.status_code == nowhere.status_code in (403, 404), (method, theirs)
            continue
        assert response.status_code == 404, (method, theirs, response.status_code, response.content[:200])
        assert response.json()["detail"] and response.json()["errors"] is not None
        # Our own objects, fresh: the control below is served and may delete what it names.
        ours = path.format(**object_ids(acme, names))
        if schema is not None and body_has_ids(schema, components):
            # Our object, but another organisation's ids in the body.
            response = send(ours, their_body_ids)
            assert response.status_code == 404, (method, ours, "their body ids", response.content[:300])
        control = send(ours, MadeWhenNamed(acme))
        assert control.status_code != 404, (method, ours, control.content[:300])


def body_has_ids(schema, components) -> bool:
    return bool(set(BODY_FACTORIES) & set(example(schema, components, {k: 1 for k in BODY_FACTORIES})))


def test_personal_token_of_a_colleague_is_404(two_orgs):
    acme, _globex = two_orgs
    from leadtracker.accounts.actions import create_api_token
    from leadtracker.accounts.audit import Actor

    theirs, _ = create_api_token(acme.alice, name="alice's", actor=Actor.system())
    # Her manager cannot touch it; only she, or an admin, can revoke it.
    assert token_client(acme.maya).delete(f"/api/v1/tokens/{theirs.pk}").status_code == 404
    assert login_client(acme.maya).post(f"/tokens/{theirs.pk}/revoke/").status_code == 404
    assert login_client(acme.adam).post(f"/tokens/{theirs.pk}/revoke/", {"confirm": "yes"}).status_code == 302


def body_id_operations():
    """Operations with no id in the path whose body names objects (owner_id, status_id, ids …)."""
    spec = openapi_schema()
    components = spec.get("components", {}).get("schemas", {})
    for path, methods in spec["paths"].items():
        if re.findall(r"{(\w+)}", path):
            continue
        for method, op in methods.items():
            content = op.get("requestBody", {}).get("content", {}).get("application/json")
            if content and body_has_ids(content["schema"], components):
                yield method, path, content["schema"], components


def takes(field, schema, components) -> bool:
    """Whether an operation's body names ``field``: which fields a body has does not depend on
    the ids that fill them, so this is asked before any object is made (each field's walk made
    every object for every operation, leads by the hundred, to use them in a few)."""
    return field in example(schema, components, {k: 1 for k in BODY_FACTORIES})


@pytest.mark.parametrize("field", sorted(BODY_FACTORIES))
def test_another_organisations_id_in_any_body_answers_404(two_orgs, field):
    """Each object-naming body field on its own (so one 404 cannot hide another): another
    organisation's id answers 404 and changes nothing; our own is accepted."""
    acme, globex = two_orgs
    client = token_client(acme.olga)
    checked = 0
    # Every request here must answer 404 and change nothing: one set of objects serves them all
    # (each request made every object anew, a dozen of them, leads among them).
    ours = {k: f(acme) for k, f in BODY_FACTORIES.items()}
    theirs = dict(ours, **{field: BODY_FACTORIES[field](globex)})
    our_objects = MadeWhenNamed(acme, FACTORIES)
    for method, path, schema, components in body_id_operations():
        if not takes(field, schema, components):
            continue
        response = getattr(client, method)(
            path, data=example(schema, components, theirs), content_type="application/json"
        )
        assert response.status_code == 404, (
            method,
            path,
            field,
            response.status_code,
            response.content[:300],
        )
        checked += 1
    for method, path, names, schema, components in api_operations():
        if schema is None or not takes(field, schema, components):
            continue
        url = path.format(**object_ids(acme, names, our_objects))
        response = getattr(client, method)(
            url, data=example(schema, components, theirs), content_type="application/json"
        )
        assert response.status_code == 404, (method, url, field, response.status_code, response.content[:300])
        checked += 1
    assert checked, f"no operation takes {field}: remove it from BODY_FACTORIES"
