"""Graph routes for `/users/{id | userPrincipalName}` and `/me`, under v1.0 and beta."""

from __future__ import annotations

from starlette.routing import BaseRoute, Route

from userphoto.config import Settings
from userphoto.core.services import Services
from userphoto.dialects.graph.photos import GraphPhotos

VERSIONS = ("v1.0", "beta")
SUBJECTS = ("/users/{ref}", "/me")


def routes(services: Services, settings: Settings) -> list[BaseRoute]:
    photos = GraphPhotos(services, settings)
    per_subject = [
        ("/photo", photos.endpoint(photos.metadata), ["GET"]),
        ("/photo/$value", photos.endpoint(photos.value), ["GET"]),
        ("/photo/$value", photos.put, ["PUT", "PATCH"]),
        ("/photo/$value", photos.endpoint(photos.delete), ["DELETE"]),
        ("/photos", photos.endpoint(photos.listing), ["GET"]),
        ("/photos/{size}", photos.endpoint(photos.size_metadata), ["GET"]),
        ("/photos/{size}/$value", photos.endpoint(photos.size_value), ["GET"]),
    ]
    return [
        Route(f"/{version}{subject}{path}", endpoint, methods=methods)
        for version in VERSIONS
        for subject in SUBJECTS
        for path, endpoint, methods in per_subject
    ]
