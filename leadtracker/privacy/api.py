"""The privacy center's HTTP API: one router, mounted by leadtracker/api.py, made of each
sub-feature's router in the order the OpenAPI document lists them.

Tags add up down the mounts: the routers that were once this module's own have none, the others
keep theirs, so every operation is tagged as it was before the sub-packages (the latter twice)."""

from ninja import Router

from leadtracker.privacy.erasure.api import router as erasure_router
from leadtracker.privacy.export.api import router as export_router
from leadtracker.privacy.holds.api import router as holds_router
from leadtracker.privacy.notices.api import acceptance_router
from leadtracker.privacy.notices.api import router as notices_router
from leadtracker.privacy.requests.api import router as requests_router
from leadtracker.privacy.retention.api import router as retention_router

router = Router(tags=["privacy"])
for sub in (
    notices_router,
    requests_router,
    retention_router,
    export_router,
    holds_router,
    erasure_router,
    acceptance_router,
):
    router.add_router("", sub)
