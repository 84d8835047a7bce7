"""The directory grid (search and paging done by the store) and the admin photo route."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from userphoto.config import Settings
from userphoto.core.errors import NotFound
from userphoto.core.model import VARIANT_SIZES, Photo, PhotoOwner, Principal, User
from userphoto.core.query import NAME_FIELDS, SortKey, UserQuery, contains_any
from userphoto.core.services import Services
from userphoto.dialects.admin.gate import whole_number
from userphoto.dialects.admin.rendering import Renderer
from userphoto.web.photos import CachePolicy, photo_response

PAGE_SIZE = 48
THUMBNAIL_SIZE = 96
MAX_PAGE = 1_000_000
MAX_SIZE_DIGITS = 4
ANY_FIELD = "any"
# What the search looks in: all of a person's name fields at once, or just one of them.
SEARCH_FIELDS: dict[str, str] = {
    ANY_FIELD: "Name, e-mail or user name",
    "last_name": "Last name",
    "first_name": "First name",
    "email": "E-mail",
    "username": "User name",
}
SORT = (SortKey("last_name"), SortKey("first_name"), SortKey("number"))
ORIGINAL = "original"


@dataclass(frozen=True, slots=True)
class Tile:
    user: User
    thumbnail: str | None


def photo_url(number: int, photo: Photo | None, size: int | str) -> str | None:
    """The admin photo route, versioned by the rendition so a new photo is a new URL."""
    if photo is None:
        return None
    rendition = photo.rendition(None if size == ORIGINAL else int(size))
    return f"/admin/people/{number}/photo/{size}?v={rendition.blob_key[:16]}"


class DirectoryPages:
    def __init__(self, services: Services, settings: Settings, renderer: Renderer) -> None:
        self._services = services
        self._renderer = renderer
        self._policy = CachePolicy.id_url(settings.photo_max_age, private=True)

    def grid(self, request: Request, principal: Principal, _: FormData | None) -> Response:
        params = request.query_params
        # NUL is in no stored name and the query refuses it; the search runs on the rest.
        term = params.get("q", "").replace("\0", "").strip()
        field = params.get("field", ANY_FIELD)
        field = field if field in SEARCH_FIELDS else ANY_FIELD
        page = _page_number(params.get("page", "1"))
        searched = NAME_FIELDS if field == ANY_FIELD else (field,)
        conditions = (contains_any(searched, term),) if term else ()
        query = UserQuery(conditions, SORT, PAGE_SIZE, (page - 1) * PAGE_SIZE)
        found = self._services.directory.find_users(query)
        photos = self._services.photos.effective_photos(found.items)
        tiles = [
            Tile(u, photo_url(u.number, photos[u.number], THUMBNAIL_SIZE)) for u in found.items
        ]
        pages = max(1, -(-found.total // PAGE_SIZE))
        context = {
            "tiles": tiles,
            "term": term,
            "field": field,
            "fields": SEARCH_FIELDS,
            "page": page,
            "pages": pages,
            "total": found.total,
            "previous": _page_link(term, field, page - 1) if page > 1 else None,
            "next": _page_link(term, field, page + 1) if page < pages else None,
        }
        return self._renderer.page(request, "directory.html", context, principal)

    def photo(self, request: Request, _: Principal, __: FormData | None) -> Response:
        """A person's effective photo at one size, or the stored original (for cropping)."""
        size = _size(request.path_params["size"])
        user = self._services.directory.user(request.path_params["number"])
        photo = self._services.photos.effective_photo(user)
        if photo is None:
            raise NotFound("photo of user", user.number)
        return self._send(request, photo, size)

    def version(self, request: Request, _: Principal, __: FormData | None) -> Response:
        """One of the kept earlier versions of a person's own photo."""
        size = _size(request.path_params["size"])
        user = self._services.directory.user(request.path_params["number"])
        wanted = request.path_params["photo_id"]
        versions = self._services.history.versions(PhotoOwner.user(user.number))
        photo = next((v for v in versions if v.id == wanted), None)
        if photo is None:
            raise NotFound("photo version", wanted)
        return self._send(request, photo, size)

    def _send(self, request: Request, photo: Photo, size: int | None) -> Response:
        return photo_response(
            request,
            photo.rendition(size),
            photo.created_at,
            self._policy,
            self._services.photos.read,
        )


def version_url(number: int, photo: Photo, size: int) -> str:
    return f"/admin/people/{number}/versions/{photo.id}/{size}"


def _size(raw: str) -> int | None:
    """The rendition a size segment names: None for the original; NotFound for other sizes."""
    if raw == ORIGINAL:
        return None
    size = whole_number(raw, MAX_SIZE_DIGITS)
    if size in VARIANT_SIZES:
        return size
    raise NotFound("photo size", raw)


def _page_number(raw: str) -> int:
    number = whole_number(raw, len(str(MAX_PAGE)))
    return min(max(number or 1, 1), MAX_PAGE)


def _page_link(term: str, field: str, page: int) -> str:
    return "/admin?" + urlencode({"q": term, "field": field, "page": page})
