"""The providers: each kind is a sub-package ``integrations/<kind>/`` whose ``provider.py``
exposes ``PROVIDER``. Found by walking the package, so a new provider is one sub-package and
nothing here changes (see the package docstring for the interface)."""

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

from leadtracker.leads.actions.leads import LeadData

PACKAGE = "leadtracker.integrations"


class MappingError(Exception):
    """A payload that cannot become a lead (or a call), in words an admin understands.
    ``retry``: the cause may pass by itself (the provider out of reach, its rate limit), so the
    worker tries again a few times before the payload is marked failed."""

    def __init__(self, message: str, *, retry: bool = False):
        super().__init__(message)
        self.retry = retry


@dataclass(frozen=True)
class Option:
    name: str
    secret: bool = False
    # Filled with a random value when not given (a verify token, a shared key), shown once.
    generate: bool = False
    required: bool = True
    label: str = ""
    help: str = ""


@dataclass
class Mapped:
    """A lead source's payload as lead fields."""

    data: LeadData
    attribution: str = ""  # "Facebook: Diwali 2BHK form"
    notes: str = ""  # the answers that have no field of their own
    is_test: bool = False
    # Values left out of the lead, each with its reason (a custom value that does not fit its
    # field): the lead is still made, and the payload keeps them.
    left_out: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Provider:
    kind: str
    label: str
    handle: Callable  # (request, connector) -> HttpResponse
    options: tuple[Option, ...] = ()
    category: str = "leads"  # or "telephony"
    to_lead: Callable | None = None  # (payload) -> Mapped
    process: Callable | None = None  # (payload) -> Lead | None, instead of to_lead
    poll: Callable | None = None  # (connector) -> payloads stored
    callback_url: bool = False
    # (options that are not secret) -> the same, checked; raises ActionError naming the option.
    clean_options: Callable | None = None
    help: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def secret_names(self) -> set[str]:
        return {o.name for o in self.options if o.secret}


@cache
def providers() -> dict[str, Provider]:
    package = importlib.import_module(PACKAGE)
    found = {}
    for info in pkgutil.iter_modules(package.__path__):
        if not info.ispkg or info.name in ("tests", "migrations", "management"):
            continue
        try:
            module = importlib.import_module(f"{package.__name__}.{info.name}.provider")
        except ModuleNotFoundError as exc:
            if exc.name != f"{package.__name__}.{info.name}.provider":
                raise
            continue  # a sub-package still being written, or a helper package
        provider = getattr(module, "PROVIDER", None)
        if provider is not None:
            found[provider.kind] = provider
    return dict(sorted(found.items()))


def get(kind: str) -> Provider | None:
    return providers().get(kind)
