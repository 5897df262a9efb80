import functools

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from leadtracker.accounts.models import Membership, Notification, Organisation, User
from leadtracker.lib import rows
from leadtracker.lib.views import is_api

SESSION_ORG_KEY = "org_id"


def active_membership(user, org_id=None):
    qs = Membership.objects.select_related("organisation", "user").filter(user=user, is_active=True)
    if org_id is not None:
        found = qs.filter(organisation_id=org_id).first()
        if found is not None:
            return found
    return qs.order_by("created_at", "id").first()


def _pick(memberships: list, org_id) -> Membership:
    """The session's organisation's membership, else the oldest (as active_membership)."""
    return next((m for m in memberships if m.organisation_id == org_id), memberships[0])


@functools.cache
def _memberships_sql(vendor: str, unread: bool) -> str:
    """A person's active memberships, oldest first, each with its organisation and the person
    (when active), and with ``unread`` each one's count of unread notifications last (the
    header's bell: one statement fewer on every page, issue 21). Written by hand: it runs on
    every signed-in request, and compiling the queryset cost more CPU than running it
    (lib/rows.py)."""
    connection = connections[DEFAULT_DB_ALIAS]
    quote = connection.ops.quote_name
    m, o, u, n = (quote(x._meta.db_table) for x in (Membership, Organisation, User, Notification))
    columns = ", ".join(rows.select_list(model, alias, connection) for model, alias in _MEMBERSHIP_ROW)
    if unread:
        # What notifications.unread_count counts, on the same index (notification_inbox).
        columns += (
            f", (SELECT COUNT(*) FROM {n} n WHERE n.organisation_id = m.organisation_id"  # noqa: S608 - names from the models
            " AND n.user_id = m.user_id AND n.read_at IS NULL)"
        )
    return (
        f"SELECT {columns} FROM {m} m "  # noqa: S608 - table and column names from the models, values bound
        f"JOIN {o} o ON o.id = m.organisation_id JOIN {u} u ON u.id = m.user_id "
        "WHERE m.user_id = %s AND m.is_active = %s AND u.is_active = %s ORDER BY m.created_at, m.id"
    )


_MEMBERSHIP_ROW = ((Membership, "m"), (Organisation, "o"), (User, "u"))


def _memberships_of(user_id, unread: bool = False) -> list:
    """With ``unread``, each membership's ``unread_notifications`` read in the same statement."""
    connection = connections[DEFAULT_DB_ALIAS]
    try:
        user_id = User._meta.pk.to_python(user_id)
    except ValidationError:
        return []  # not an id: nobody (Django's own path then flushes the session)
    with rows.cursor(connection) as cursor:
        cursor.execute(_memberships_sql(connection.vendor, unread), [user_id, True, True])
        found = cursor.fetchall()
    memberships = []
    for row in found:
        membership, at = rows.build(Membership, row, 0)
        membership.organisation, at = rows.build(Organisation, row, at)
        membership.user, at = rows.build(User, row, at)
        if unread:
            membership.unread_notifications = row[at]
        memberships.append(membership)
    return memberships


def _signed_in_memberships(request) -> list | None:
    """The session's person's active memberships, with each organisation and the person, in one
    query — None where Django's own path must answer (no session, another backend, a person or
    session hash that does not check out: it then flushes the session as it always did).

    What auth.get_user would check is checked here: the backend is ours, the person is active
    (ModelBackend.user_can_authenticate), the session's hash is the person's current one."""
    session = request.session
    user_id = session.get(SESSION_KEY)
    backend = session.get(BACKEND_SESSION_KEY)
    if user_id is None or backend not in settings.AUTHENTICATION_BACKENDS:
        return None
    # The bell's count is read with them for a read (GET, HEAD): no notification of the viewer's
    # is written by a read before its page renders, so the count at the request's start is the
    # count. A write (POST …) may write one, and its page asks again (context_processors.shell).
    # The API renders no page, so no bell: its reads do not count.
    reads_a_page = request.method in ("GET", "HEAD") and not is_api(request)
    memberships = _memberships_of(user_id, unread=reads_a_page)
    if not memberships:
        return None
    user = memberships[0].user
    if str(user.pk) != str(user_id) or not constant_time_compare(
        session.get(HASH_SESSION_KEY, ""), user.get_session_auth_hash()
    ):
        return None
    for m in memberships:
        m.user = user  # one object for the person, as request.user
    return memberships


class CurrentOrganisationMiddleware:
    """Puts the signed-in person's current organisation and membership on the request.

    Looked up on every request, so a deactivated membership stops working at once —
    no cached permission survives it. The person, their memberships and organisations come in
    one query (request.user is set from it); the others are kept for the header's switcher
    (request.other_memberships)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.membership = None
        request.org = None
        request.api_token = None
        request.other_memberships = None
        org_id = request.session.get(SESSION_ORG_KEY)
        memberships = None if hasattr(request, "_cached_user") else _signed_in_memberships(request)
        if memberships is not None:
            request._cached_user = memberships[0].user  # what AuthenticationMiddleware's lazy user returns
            membership = _pick(memberships, org_id)
            request.other_memberships = sorted(
                (m for m in memberships if m.pk != membership.pk), key=lambda m: m.organisation.name
            )
        elif request.user.is_authenticated:
            membership = active_membership(request.user, org_id)
        else:
            membership = None
        if membership is not None:
            request.membership = membership
            request.org = membership.organisation
            if org_id != membership.organisation_id:
                request.session[SESSION_ORG_KEY] = membership.organisation_id
        if request.org is not None:
            # Pages show times in the organisation's zone, whatever the server's is.
            timezone.activate(request.org.tzinfo)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
