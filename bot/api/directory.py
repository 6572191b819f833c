"""`GET /api/v1/opds` and `/api/v1/categories`: the loaded city directory (what `opd` and
`category` filters and the `alihkan`/`verifikasi` bodies accept)."""

from typing import Annotated

from fastapi import APIRouter, Depends

from bot.api.caller import Allow, Caller
from bot.api.errors import responses
from bot.api.models import CategoryListOut, CategoryOut, OpdListOut, OpdOut
from bot.bootstrap import Container


def add_directory_routes(router: APIRouter, container: Container, allow: Allow) -> None:
    @router.get("/opds", tags=["directory"], summary="The city's OPDs",
                response_model=OpdListOut, responses=responses(400))
    async def opds(caller: Annotated[Caller, Depends(allow())]) -> OpdListOut:
        """Every OPD of the directory, in its order (one page)."""
        return OpdListOut(items=[OpdOut(slug=o.slug, name=o.name, aliases=list(o.aliases))
                                 for o in container.city().directory.opds],
                          next_cursor=None)

    @router.get("/categories", tags=["directory"], summary="The city's categories",
                response_model=CategoryListOut, responses=responses(400))
    async def categories(caller: Annotated[Caller, Depends(allow())]) -> CategoryListOut:
        """Every category of the directory with the OPD it routes to (one page)."""
        return CategoryListOut(items=[
            CategoryOut(code=c.code, name_id=c.name_id, name_en=c.name_en, opd=c.opd,
                        sla_tier=c.sla_tier, location_required=c.location_required,
                        auto_dispose=c.auto_dispose)
            for c in container.city().directory.categories], next_cursor=None)
