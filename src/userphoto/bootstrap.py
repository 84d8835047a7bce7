"""Wires settings to adapters and services: the one place that picks implementations."""

from __future__ import annotations

from datetime import timedelta

from userphoto.config import Settings
from userphoto.core.audit import AuditService
from userphoto.core.auth import AuthService
from userphoto.core.errors import UserPhotoError
from userphoto.core.fetching import FetchPolicy
from userphoto.core.history import HistoryService
from userphoto.core.links import LinkSigner
from userphoto.core.photos import PipelineLimits
from userphoto.core.ratelimit import AccessLimits, LoginPolicy, Rate
from userphoto.core.secrets import SecretBox
from userphoto.core.services import ApiUserService, DirectoryService, PhotoService, Services
from userphoto.core.staging import StagingService
from userphoto.net.fetch import PinnedFetcher
from userphoto.storage import open_store


def pipeline_limits(settings: Settings) -> PipelineLimits:
    return PipelineLimits(
        max_bytes=settings.max_upload_bytes,
        max_pixels=settings.max_pixels,
        original_max_side=settings.original_max_side,
        jpeg_quality=settings.jpeg_quality,
    )


def fetch_policy(settings: Settings) -> FetchPolicy:
    return FetchPolicy.parse(
        settings.fetch_blocked_networks,
        settings.fetch_allowed_networks,
        settings.fetch_timeout,
        settings.fetch_max_redirects,
    )


def secret_box(settings: Settings) -> SecretBox:
    """The server key: from the settings, or, on the embedded default only, the data dir."""
    if not settings.server_key and not settings.effective_database_url.startswith("sqlite"):
        # Every node must open the same secrets, and a node keeps no state of its own.
        raise UserPhotoError(
            "USERPHOTO_SERVER_KEY must be set when the store is shared (PostgreSQL): "
            "every node needs the same key"
        )
    return SecretBox.from_setting_or_file(settings.server_key, settings.data_dir / "server.key")


def access_limits(settings: Settings) -> AccessLimits:
    return AccessLimits(
        api_user=Rate(settings.rate_limit_api_user_per_second, settings.rate_limit_api_user_burst),
        api_key=Rate(settings.rate_limit_api_key_per_second, settings.rate_limit_api_key_burst),
        client=Rate(settings.rate_limit_client_per_second, settings.rate_limit_client_burst),
        logins=LoginPolicy(
            settings.login_max_account_failures,
            settings.login_max_client_failures,
            settings.login_failure_window,
        ),
        limit_loopback=settings.rate_limit_loopback,
    )


def open_services(settings: Settings) -> Services:
    box = secret_box(settings)
    store = open_store(settings)
    photos = PhotoService(store, pipeline_limits(settings), settings.photo_history)
    return Services(
        directory=DirectoryService(store),
        photos=photos,
        api_users=ApiUserService(store, box),
        auth=AuthService(store, limits=access_limits(settings)),
        store=store,
        staging=StagingService(store, photos, timedelta(seconds=settings.docspace_staged_lifetime)),
        fetcher=PinnedFetcher(fetch_policy(settings)),
        history=HistoryService(store, settings.photo_history),
        audit=AuditService(store),
        links=LinkSigner(box.derive("photo-links"), settings.photo_link_lifetime),
    )
