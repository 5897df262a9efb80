"""The accounts tests' fixtures."""

from leadtracker.accounts.tests.push_service import service  # noqa: F401 - a push service on loopback
