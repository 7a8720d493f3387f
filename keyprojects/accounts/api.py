from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from keyprojects.core.api import Id, Pagination
from keyprojects.core.openapi import answers

from . import tokens
from .auth import api_user, bearer_auth, token_issue
from .models import ApiToken, Region
from .schemas import RegionOut, TokenIn, TokenInfo, TokenOut
from .tokens import tokens_of

router = Router(tags=["accounts"])


@router.post("/auth/token", response=TokenOut, auth=None, summary="用用户名和密码换取接口令牌")
@answers(401, 403, 429)
def token_create(request: HttpRequest, payload: TokenIn) -> dict:
    token, raw = token_issue(
        request=request,
        username=payload.username,
        password=payload.password,
        name=payload.name,
        otp=payload.otp,
    )
    return {"id": token.pk, "token": raw, "token_type": "bearer"}


@router.delete("/auth/token", response={204: None}, auth=bearer_auth, summary="吊销本次请求所用的令牌")
def token_revoke_current(request: HttpRequest) -> Status[None]:
    request.auth.revoke()  # type: ignore[attr-defined]
    return Status(204, None)


@router.get("/auth/tokens", response=list[TokenInfo], summary="我的接口令牌")
@paginate(Pagination)
def token_list(request: HttpRequest) -> QuerySet[ApiToken]:
    return tokens_of(api_user(request))


@router.delete("/auth/tokens/{token_id}", response={204: None}, summary="吊销我的一个令牌")
def token_revoke(request: HttpRequest, token_id: Id) -> Status[None]:
    tokens.token_revoke(user=api_user(request), token_id=token_id)
    return Status(204, None)


@router.get("/regions", response=list[RegionOut], summary="行政区划")
@paginate(Pagination, max_limit=1000)
def region_list(request: HttpRequest) -> object:
    return Region.objects.select_related("parent")
