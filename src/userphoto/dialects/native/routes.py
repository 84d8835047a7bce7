"""The native API's operations: one table registers the routes and documents them."""

from __future__ import annotations

from functools import partial

from starlette.routing import BaseRoute, Route

from userphoto.config import Settings
from userphoto.core.model import VARIANT_SIZES
from userphoto.core.query import MAX_LIMIT
from userphoto.core.services import Services
from userphoto.dialects.native.api import (
    INT32_MAX,
    PREFIX,
    Access,
    Body,
    Operation,
    Param,
    endpoint,
)
from userphoto.dialects.native.credentials import Credentials
from userphoto.dialects.native.docs import docs_routes
from userphoto.dialects.native.openapi import document
from userphoto.dialects.native.photos import AddressOwners, Photos, UserOwners
from userphoto.dialects.native.users import Addresses, Users

NUMBER = Param("number", "path", "The user's number", minimum=1, maximum=INT32_MAX)
ADDRESS_ID = Param("id", "path", "The address record's id", minimum=1, maximum=INT32_MAX)
RECORD_ID = Param("id", "path", "The record's id", minimum=1, maximum=INT32_MAX)
VERSION = Param("version", "path", "A photo version's id", minimum=1, maximum=INT32_MAX)
SIZE = Param("size", "path", "Side of the square in pixels", minimum=1, enum=VARIANT_SIZES)
LIMIT = Param("limit", "query", "Page size", minimum=0, maximum=MAX_LIMIT)
OFFSET = Param("offset", "query", "Items to skip", minimum=0, maximum=INT32_MAX)
SEARCH = Param("q", "query", "Text in a name, the e-mail or the user name", max_length=200)
ADDRESS_SEARCH = Param("q", "query", "Text in a name, the company or the e-mail", max_length=200)
USER_FILTER = Param("user", "query", "Only this user's", minimum=1, maximum=INT32_MAX)
CROP = tuple(
    Param(
        name, "query", f"Crop box {name}, in pixels of the upload", minimum=low, maximum=INT32_MAX
    )
    for name, low in (("x", 0), ("y", 0), ("width", 1), ("height", 1))
)


def operations(services: Services, settings: Settings) -> list[Operation]:
    users, addresses = Users(services), Addresses(services)
    photos = Photos(services, settings, UserOwners(services))
    address_photos = Photos(services, settings, AddressOwners(services))
    credentials = Credentials(services)
    photo, address_photo = "/users/{number}/photo", "/addresses/{id}/photo"
    return [
        Operation("GET", "/users", "List or search users", "users", users.listing,
                  returns="UserPage", params=(SEARCH, LIMIT, OFFSET)),
        Operation("POST", "/users", "Create a user", "users", users.create, status=201,
                  returns="UserOut", access=Access.ADMIN, body=Body.JSON, model="UserCreate",
                  conflicts=True),
        Operation("GET", "/users/{number}", "Get a user", "users", users.get,
                  returns="UserOut", params=(NUMBER,)),
        Operation("PATCH", "/users/{number}", "Change a user's fields", "users", users.update,
                  returns="UserOut", access=Access.ADMIN, params=(NUMBER,), body=Body.JSON,
                  model="UserPatch", conflicts=True),
        Operation("DELETE", "/users/{number}", "Delete a user", "users", users.delete,
                  status=204, access=Access.ADMIN, params=(NUMBER,)),
        Operation("GET", "/addresses", "List or search address records", "addresses",
                  addresses.listing, returns="AddressPage", params=(ADDRESS_SEARCH, LIMIT, OFFSET)),
        Operation("GET", "/addresses/{id}", "Get an address record", "addresses", addresses.get,
                  returns="AddressOut", params=(ADDRESS_ID,)),
        Operation("PUT", "/addresses/{id}", "Create or change an address record", "addresses",
                  addresses.put, returns="AddressOut", access=Access.ADMIN, params=(ADDRESS_ID,),
                  body=Body.JSON, model="AddressPatch"),
        Operation("DELETE", "/addresses/{id}", "Delete an address record", "addresses",
                  addresses.delete, status=204, access=Access.ADMIN, params=(ADDRESS_ID,)),
        Operation("GET", address_photo, "The address record's photo metadata", "address-photos",
                  address_photos.get, returns="PhotoOut", params=(ADDRESS_ID,)),
        Operation("PUT", address_photo, "Upload the address record's photo (the fallback of "
                  "its users without one), optionally cut to a crop box", "address-photos",
                  address_photos.upload, returns="PhotoOut", access=Access.ADMIN,
                  params=(ADDRESS_ID, *CROP), body=Body.IMAGE),
        Operation("DELETE", address_photo, "Remove the address record's photo", "address-photos",
                  address_photos.delete, status=204, access=Access.ADMIN, params=(ADDRESS_ID,)),
        Operation("GET", address_photo + "/{size}", "The address record's photo as a square",
                  "address-photos", address_photos.image, params=(ADDRESS_ID, SIZE),
                  image_response=True),
        Operation("GET", photo, "The current photo's metadata", "photos", photos.get,
                  returns="PhotoOut", params=(NUMBER,)),
        Operation("PUT", photo, "Upload a photo, optionally cut to a crop box", "photos",
                  photos.upload, returns="PhotoOut", params=(NUMBER, *CROP), body=Body.IMAGE),
        Operation("DELETE", photo, "Remove the photo (its versions stay)", "photos",
                  photos.delete, status=204, params=(NUMBER,)),
        Operation("GET", photo + "/original", "The photo's normalised original", "photos",
                  photos.original, params=(NUMBER,), image_response=True),
        Operation("POST", photo + "/crop", "Cut the current photo's original anew", "photos",
                  photos.recrop, returns="PhotoOut", params=(NUMBER,), body=Body.JSON,
                  model="CropIn"),
        Operation("GET", photo + "/versions", "The kept versions, newest first", "photos",
                  photos.versions, returns="PhotoVersions", params=(NUMBER,)),
        Operation("POST", photo + "/versions/{version}/restore", "Make a version current",
                  "photos", photos.restore, returns="PhotoOut", params=(NUMBER, VERSION)),
        # After every fixed path below the photo, which `{size}` would shadow.
        Operation("GET", photo + "/{size}", "The photo as a square of this size", "photos",
                  photos.image, params=(NUMBER, SIZE), image_response=True),
        Operation("GET", "/api-users", "List onOffice API users", "api-users",
                  credentials.api_users, returns="ApiUserList", access=Access.ADMIN),
        Operation("POST", "/api-users", "Create an API user; token and secret shown once",
                  "api-users", credentials.create_api_user, status=201,
                  returns="ApiUserCreated", access=Access.ADMIN, body=Body.JSON, model="ApiUserIn"),
        Operation("DELETE", "/api-users/{id}", "Revoke an API user", "api-users",
                  credentials.revoke_api_user, status=204, access=Access.ADMIN,
                  params=(RECORD_ID,)),
        Operation("GET", "/api-keys", "List API keys", "api-keys", credentials.api_keys,
                  returns="ApiKeyList", access=Access.ADMIN, params=(USER_FILTER,)),
        Operation("POST", "/api-keys", "Create an API key; the key is shown once", "api-keys",
                  credentials.create_api_key, status=201, returns="ApiKeyCreated",
                  access=Access.ADMIN, body=Body.JSON, model="ApiKeyIn"),
        Operation("DELETE", "/api-keys/{id}", "Revoke an API key", "api-keys",
                  credentials.revoke_api_key, status=204, access=Access.ADMIN,
                  params=(RECORD_ID,)),
        Operation("GET", "/audit", "Photo changes, newest first", "audit", credentials.audit,
                  returns="AuditPage", access=Access.ADMIN, params=(USER_FILTER, LIMIT, OFFSET)),
    ]  # fmt: skip


def routes(services: Services, settings: Settings) -> list[BaseRoute]:
    table = operations(services, settings)
    api: list[BaseRoute] = [
        Route(
            PREFIX + op.path,
            endpoint(op, services, settings.max_upload_bytes),
            methods=[op.method],
        )
        for op in table
    ]
    return [*api, *docs_routes(partial(document, table))]
