"""Wires settings to adapters and services: the one place that picks implementations."""

from __future__ import annotations

from userphoto.config import Settings
from userphoto.core.auth import AuthService
from userphoto.core.photos import PipelineLimits
from userphoto.core.secrets import SecretBox
from userphoto.core.services import ApiUserService, DirectoryService, PhotoService, Services
from userphoto.storage import open_store


def pipeline_limits(settings: Settings) -> PipelineLimits:
    return PipelineLimits(
        max_bytes=settings.max_upload_bytes,
        max_pixels=settings.max_pixels,
        original_max_side=settings.original_max_side,
        jpeg_quality=settings.jpeg_quality,
    )


def open_services(settings: Settings) -> Services:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    store = open_store(settings)
    box = SecretBox.from_setting_or_file(settings.server_key, settings.data_dir / "server.key")
    return Services(
        directory=DirectoryService(store),
        photos=PhotoService(store, pipeline_limits(settings), settings.photo_history),
        api_users=ApiUserService(store, box),
        auth=AuthService(store),
        store=store,
    )
