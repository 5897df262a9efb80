"""Authentication: e-mail login for the web, bearer tokens for the API."""

import datetime as dt
import functools

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone
from ninja.errors import Throttled
from ninja.security import APIKeyCookie, HttpBearer

from leadtracker.accounts import throttle
from leadtracker.accounts.language import activate_for
from leadtracker.accounts.models import ApiToken, Membership, Organisation, TokenKind, User, hash_secret
from leadtracker.lib import rows
from leadtracker.lib.http import client_ip

# last_used_at is written at most this often per token, so reads stay reads.
LAST_USED_RESOLUTION = dt.timedelta(seconds=60)


class EmailBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, email=None, **kwargs):
        email = (email or username or "").strip().lower()
        if not email or password is None:
            return None
        try:
            user = User.objects.get(email=email)
        except User.DoesNotExist:
            # Spend the same time hashing so response time does not reveal which e-mails exist.
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None


@functools.cache
def _token_sql(vendor: str) -> str:
    """The one statement of a bearer request's look-up: the live token, the active membership of
    an active person it acts for in the token's organisation, that organisation and the person.

    Written by hand, not built with the ORM, because it runs on every API request and compiling
    its queryset cost more CPU than running it (lib/rows.py). At most one row: a token's hash is
    unique and a person has one membership in an organisation."""
    connection = connections[DEFAULT_DB_ALIAS]
    t, m, o, u = (
        connection.ops.quote_name(x._meta.db_table) for x in (ApiToken, Membership, Organisation, User)
    )
    columns = ", ".join(rows.select_list(model, alias, connection) for model, alias in _TOKEN_ROW)
    return (
        f"SELECT {columns} FROM {t} t "  # noqa: S608 - table and column names from the models, values bound
        f"JOIN {m} m ON m.user_id = t.user_id AND m.organisation_id = t.organisation_id "
        f"JOIN {o} o ON o.id = m.organisation_id JOIN {u} u ON u.id = m.user_id "
        "WHERE t.token_hash = %s AND t.revoked_at IS NULL AND m.is_active = %s AND u.is_active = %s"
    )


_TOKEN_ROW = ((Membership, "m"), (Organisation, "o"), (User, "u"), (ApiToken, "t"))


def authenticate_token(raw: str) -> tuple[ApiToken, Membership] | None:
    """The live token and the active membership it acts for, or None. Nothing is cached between
    requests: a revoked token, a removed member or a changed role counts on the next request."""
    if not raw or len(raw) > 200:
        return None
    connection = connections[DEFAULT_DB_ALIAS]
    with rows.cursor(connection) as cursor:
        cursor.execute(_token_sql(connection.vendor), [hash_secret(raw), True, True])
        row = cursor.fetchone()
    if row is None:
        return None
    at = 0
    membership, at = rows.build(Membership, row, at)
    membership.organisation, at = rows.build(Organisation, row, at)
    membership.user, at = rows.build(User, row, at)
    token, at = rows.build(ApiToken, row, at)
    token.organisation, token.user = membership.organisation, membership.user
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token, membership


class BearerAuth(HttpBearer):
    """``Authorization: Bearer <token>``. By default personal API tokens only: a device
    token (from pairing a phone) works only on the device endpoints, which ask for it.
    Wrong tokens are counted per address; too many answer 429."""

    def __init__(self, kinds: tuple[str, ...] = (TokenKind.PERSONAL,)):
        super().__init__()
        self.kinds = kinds

    def __call__(self, request):
        result = super().__call__(request)
        if result is None and request.headers.get("Authorization", "").lower().startswith("bearer"):
            # Counted only on failure, so a valid token costs no extra query.
            ip = client_ip(request)
            if throttle.blocked(throttle.API_AUTH, ip=ip):
                raise Throttled(wait=throttle.retry_after(throttle.API_AUTH))
            throttle.hit(throttle.API_AUTH, ip=ip)
        return result

    def authenticate(self, request, token):
        found = authenticate_token(token)
        if found is None or found[0].kind not in self.kinds:
            return None
        api_token, membership = found
        request.user = membership.user
        request.api_token = api_token
        request.membership = membership
        request.org = membership.organisation
        # The middleware saw no one signed in: the token's person answers in their language.
        activate_for(membership.user, membership.organisation)
        return api_token


class SessionAuth(APIKeyCookie):
    """The web app's own session, with CSRF checked on unsafe methods."""

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request):
        # Without a session cookie there is no session for a forged request to ride on; and a
        # request carrying a bearer token is the token's to answer (a cross-site form cannot set
        # that header). Checking CSRF for those would refuse every bearer POST to an endpoint
        # that lists this scheme first.
        if self.param_name not in request.COOKIES or request.headers.get(
            "Authorization", ""
        ).lower().startswith("bearer "):
            return None
        return super()._get_key(request)

    def authenticate(self, request, key):
        if key is None:
            return None
        membership = getattr(request, "membership", None)
        if request.user.is_authenticated and membership is not None:
            return request.user
        return None
