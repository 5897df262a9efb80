"""The settings of the tests' server process: the real ones, plus a push service on loopback
(the post-call prompt's test starts one). PUSH_ALLOW_LOOPBACK is a setting no environment
variable reaches (accounts/push/endpoints.py says why), so a server process that needs it runs
with this module as DJANGO_SETTINGS_MODULE."""

from leadtracker.settings import *  # noqa: F403

PUSH_ALLOW_LOOPBACK = True
