from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate

from keyprojects.core.api import Id, Pagination
from keyprojects.core.openapi import answers

from .auth import api_user, bearer_auth, token_issue
from .models import ApiToken, Region
from .schemas import RegionOut, TokenIn, TokenInfo, TokenOut

router = Router(tags=["accounts"])


@router.post("/auth/token", response=TokenOut, auth=None, summary="用用户名和密码换取接口令牌")
@answers(401, 429)
def token_create(request: HttpRequest, payload: TokenIn) -> dict:
    token, raw = token_issue(
        request=request, username=payload.username, password=payload.password, name=payload.name
    )
    return {"id": token.pk, "token": raw, "token_type": "bearer"}


@router.delete("/auth/token", response={204: None}, auth=bearer_auth, summary="吊销本次请求所用的令牌")
def token_revoke_current(request: HttpRequest) -> Status[None]:
    request.auth.revoke()  # type: ignore[attr-defined]
    return Status(204, None)


@router.get("/auth/tokens", response=list[TokenInfo], summary="我的接口令牌")
@paginate(Pagination)
def token_list(request: HttpRequest) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=api_user(request)).order_by("-created_at", "-id")


@router.delete("/auth/tokens/{token_id}", response={204: None}, summary="吊销我的一个令牌")
def token_revoke(request: HttpRequest, token_id: Id) -> Status[None]:
    token = ApiToken.objects.filter(user=api_user(request), pk=token_id, revoked_at=None).first()
    if token is None:
        raise Http404(_("令牌不存在或已吊销"))
    token.revoke()
    return Status(204, None)


@router.get("/regions", response=list[RegionOut], summary="行政区划")
@paginate(Pagination, max_limit=1000)
def region_list(request: HttpRequest) -> object:
    return Region.objects.select_related("parent")
