from functools import wraps

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from leadtracker.accounts.models import Role


def member_required(min_role: str | None = None):
    """A signed-in person with an active membership of the current organisation (and at
    least ``min_role``). Checked on the server for every request, whatever the UI shows."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(request, *args, **kwargs):
            if request.membership is None:
                return render(request, "accounts/no_membership.html", status=403)
            if min_role and not request.membership.has_role(min_role):
                return render(request, "403.html", {"needed_role": Role(min_role).label}, status=403)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
