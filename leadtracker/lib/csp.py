"""Content-Security-Policy on every response.

Django 5.2 has no CSP of its own (6.0 will). The policy is one fixed string: our templates carry
no inline script, no inline style and no event-handler attribute (a test crawls the pages to keep
it so), so nothing needs a nonce and 'unsafe-inline' is never granted. A cross-site script that
slipped into a page then has nowhere to run.
"""

from django.conf import settings

HEADER = "Content-Security-Policy"


def build_policy(directives: dict[str, str]) -> str:
    return "; ".join(f"{name} {value}".strip() for name, value in directives.items())


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = build_policy(settings.CONTENT_SECURITY_POLICY)
        # Report-only lets an operator try a stricter policy without breaking pages.
        self.header = f"{HEADER}-Report-Only" if settings.CONTENT_SECURITY_POLICY_REPORT_ONLY else HEADER

    def __call__(self, request):
        response = self.get_response(request)
        # A view that knows better (none today) may set its own policy; it is left alone.
        if HEADER not in response and f"{HEADER}-Report-Only" not in response:
            response[self.header] = self.policy
        return response
