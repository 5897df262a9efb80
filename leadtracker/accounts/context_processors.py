from django.conf import settings

from leadtracker.accounts.models import Membership


def shell(request):
    membership = getattr(request, "membership", None)
    switchable = []
    if membership is not None:
        switchable = list(
            Membership.objects.filter(user_id=membership.user_id, is_active=True)
            .exclude(pk=membership.pk)
            .select_related("organisation")
            .order_by("organisation__name")
        )
    unread = 0
    if membership is not None:
        from leadtracker.accounts.notifications import unread_count

        unread = unread_count(membership)
    return {
        "unread_notifications": unread,
        "membership": membership,
        "org": getattr(request, "org", None),
        "other_memberships": switchable,
        "site_name": settings.SITE_NAME,
        "signup_enabled": settings.SIGNUP_ENABLED,
    }
