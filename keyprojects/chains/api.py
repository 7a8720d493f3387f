"""The industrial chains over HTTP (read-only for now; the 链长制 builds on them)."""

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router, Schema

from keyprojects.accounts.auth import api_user

from . import selectors
from .models import IndustrialChain

router = Router(tags=["chains"])


class ChainOut(Schema):
    code: str
    name: str


@router.get("/chains", response=list[ChainOut], summary="产业链列表")
def chain_list(request: HttpRequest) -> QuerySet[IndustrialChain]:
    return selectors.chain_list(user=api_user(request))
