"""The versioned REST API, /api/v1/. Routers per area join here; the OpenAPI document is at
/api/v1/openapi.json and the docs page at /api/v1/docs (Swagger UI from django-ninja's own
static files, our template: no CDN, no inline script). Both need a signed-in session or a
token, like every view."""

from ninja import NinjaAPI, Schema

from . import errors, leads, referrals
from .auth import AUTH, THROTTLE, authenticated
from .cases import router as cases_router
from .periods import router as periods_router

api = NinjaAPI(
    title="Exchange Tracker API",
    version="1",
    description=(
        "MCO Manual Tracker cases and PAL referrals for the exchange's CRM, State Monitor tools "
        'and assister organizations. Errors: {"errors": [{"field", "rule", "message"}]}.'
    ),
    urls_namespace="api-v1",
    auth=AUTH,
    throttle=THROTTLE,
    docs_url="/docs",
    docs_decorator=authenticated,
    openapi_url="/openapi.json",
)
errors.install(api)
api.add_router("/cases", cases_router)
api.add_router("/periods", periods_router)
api.add_router("/referrals", referrals.router)
api.add_router("/leads", leads.router)


class Me(Schema):
    username: str
    roles: list[str]


@api.get("/me", response=Me, summary="Who the caller is", tags=["session"])
def me(request):
    from tracker.roles import role_names

    return {"username": request.auth.get_username(), "roles": sorted(role_names(request.auth))}
