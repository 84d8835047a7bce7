"""Settings: every one has a default, a description and an environment variable.

`Settings.describe()` is the single source for the settings table in the README
and for `userphoto settings`; a test fails when the two drift apart.
"""

from __future__ import annotations

import os
from dataclasses import MISSING, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

ENV_PREFIX = "USERPHOTO_"

# Where a server-side photo download must never connect: SSRF targets inside the network.
DEFAULT_BLOCKED_NETWORKS: tuple[str, ...] = (
    "0.0.0.0/8",
    "10.0.0.0/8",
    "100.64.0.0/10",
    "127.0.0.0/8",
    "169.254.0.0/16",
    "172.16.0.0/12",
    "192.0.0.0/24",
    "192.0.2.0/24",
    "192.88.99.0/24",
    "192.168.0.0/16",
    "198.18.0.0/15",
    "198.51.100.0/24",
    "203.0.113.0/24",
    "224.0.0.0/4",
    "240.0.0.0/4",
    "::/96",
    "::1/128",
    "::ffff:0:0/96",
    "64:ff9b::/96",
    "100::/64",
    "2001::/32",
    "2001:db8::/32",
    "2002::/16",
    "fc00::/7",
    "fe80::/10",
    "fec0::/10",
    "ff00::/8",
)


def setting(default: Any, description: str) -> Any:
    return field(default=default, metadata={"description": description})


@dataclass(frozen=True)
class Settings:
    data_dir: Path = setting(
        Path("./userphoto-data"),
        "Folder for the SQLite database, the photo blobs and the server key.",
    )
    database_url: str = setting(
        "",
        "SQLAlchemy URL of the store; empty means SQLite at DATA_DIR/userphoto.sqlite3.",
    )
    public_url: str = setting(
        "http://127.0.0.1:8000",
        "Base URL of the links the API hands out (photo links, avatar URLs).",
    )
    server_key: str = setting(
        "",
        "Key that encrypts API secrets at rest; empty: DATA_DIR/server.key, made on first use.",
    )
    blob_store: str = setting(
        "auto",
        "Where photo bytes live: files (DATA_DIR/blobs), database, or auto (files on SQLite,"
        " the database elsewhere, so one engine holds all state).",
    )
    photo_cache_bytes: int = setting(
        64 * 1024 * 1024,
        "Photo bytes each process keeps in memory (by content hash); 0 turns the cache off.",
    )
    max_upload_bytes: int = setting(25 * 1024 * 1024, "Largest photo upload accepted, in bytes.")
    max_pixels: int = setting(50_000_000, "Largest photo accepted, in pixels (width x height).")
    original_max_side: int = setting(1280, "Longest side of the stored normalised original.")
    jpeg_quality: int = setting(88, "JPEG quality of stored renditions.")
    photo_history: int = setting(5, "Photo versions kept per owner, the current one included.")
    photo_max_age: int = setting(300, "Cache-Control max-age of served photos, in seconds.")
    import_workers: int = setting(0, "Processes for photo imports; 0 means one per core.")
    onoffice_photo_size: int = setting(
        240, "Square size of the photo the onOffice userphoto resource delivers."
    )
    onoffice_customer: str = setting(
        "userphoto", "Customer name in onOffice photo links (…/Dateien/<customer>/users/…)."
    )
    onoffice_timestamp_window: int = setting(
        120, "Accepted clock difference of onOffice HMAC timestamps, in seconds."
    )
    # DocSpace dialect settings
    docspace_max_upload_bytes: int = setting(
        5 * 1024 * 1024,
        "Largest photo the DocSpace upload and URL fetch accept, in bytes (DocSpace ships 5 MiB).",
    )
    docspace_view_rule: str = setting(
        "everyone",
        "Who may read another user's DocSpace record and photo: everyone or admins.",
    )
    docspace_default_avatar: str = setting(
        "silhouette",
        "Default DocSpace avatar for users without a photo: silhouette or initials.",
    )
    docspace_staged_lifetime: int = setting(
        3600, "Seconds an upload made with Autosave=false waits for its crop before it expires."
    )
    fetch_timeout: int = setting(
        10, "Seconds a photo download from a URL may take in all, redirects included."
    )
    fetch_max_redirects: int = setting(3, "Redirects a photo download from a URL may follow.")
    fetch_blocked_networks: str = setting(
        ",".join(DEFAULT_BLOCKED_NETWORKS),
        "Comma-separated networks a photo URL may not resolve to (private, loopback, "
        "link-local, CGNAT, metadata, multicast, reserved).",
    )
    fetch_allowed_networks: str = setting(
        "", "Comma-separated networks allowed even inside the blocked ones (e.g. a test server)."
    )

    # EWS, Graph and Gravatar dialect settings
    ews_max_body_bytes: int = setting(
        8 * 1024 * 1024,
        "Largest EWS SOAP request body, in bytes (room for a SetUserPhoto of a 5 MiB photo).",
    )
    ews_server_version: str = setting(
        "Exchange2013", "Version attribute of the ServerVersionInfo header EWS answers with."
    )
    gravatar_default_hosts: str = setting(
        "",
        "Comma-separated hosts a Gravatar d=<URL> default may redirect to; others are refused.",
    )
    gravatar_cache_bytes: int = setting(
        32 * 1024 * 1024,
        "Memory for Gravatar avatars resized to sizes no stored rendition has, in bytes.",
    )
    negotiate_image_formats: bool = setting(
        False,
        "Send Gravatar avatars as AVIF or WebP to clients whose Accept names them "
        "(rendered once, kept with the resized avatars); JPEG otherwise.",
    )

    # Links, browsers and logs
    signed_photo_links: bool = setting(
        False,
        "Hand out onOffice photosAsLinks links and DocSpace storage URLs as signed, expiring"
        " links that name no user; the plain links (by number or UUID) then answer 404.",
    )
    photo_link_lifetime: int = setting(
        86400,
        "Seconds a signed photo link stays valid at least (at most an eighth longer: links"
        " stay the same URL for that long, so caches keep working).",
    )
    cors_allowed_origins: str = setting(
        "",
        "Comma-separated origins (https://app.example.org) whose browser scripts may call the"
        " API (CORS); empty: no CORS headers at all.",
    )
    trusted_proxies: str = setting(
        "127.0.0.1",
        "Comma-separated addresses or networks (10.0.0.0/8) of reverse proxies whose"
        " X-Forwarded-For and X-Forwarded-Proto name the client and scheme; * trusts any.",
    )
    log_level: str = setting(
        "info", "Level of the service's logs: debug, info, warning or error (access log at info)."
    )
    access_log: bool = setting(
        False,
        "Log every request (the server's access log); off by default, as writing the line costs"
        " a photo request a fifth of its time and a proxy in front usually logs anyway.",
    )

    # Rate limits and brute-force protection: budgets are per node (nodes share nothing
    # but the store), so N nodes behind a balancer admit up to N times each figure.
    rate_limit_api_user_per_second: int = setting(
        1000, "Requests per second each onOffice API user may make, per node; 0: no limit."
    )
    rate_limit_api_user_burst: int = setting(
        2000, "Requests an onOffice API user may make at once above its rate, per node."
    )
    rate_limit_api_key_per_second: int = setting(
        1000, "Requests per second each sk- API key may make, per node; 0: no limit."
    )
    rate_limit_api_key_burst: int = setting(
        2000, "Requests an sk- API key may make at once above its rate, per node."
    )
    rate_limit_client_per_second: int = setting(
        2000,
        "Requests per second each client address may make, per node; 0: no limit. Behind a"
        " reverse proxy, list it in USERPHOTO_TRUSTED_PROXIES, or every client shares one.",
    )
    rate_limit_client_burst: int = setting(
        4000, "Requests a client address may make at once above its rate, per node."
    )
    rate_limit_loopback: bool = setting(
        False,
        "Apply the client address limit to loopback clients too (off: local benchmarks and a"
        " reverse proxy on the same host are not limited as one client).",
    )
    login_max_account_failures: int = setting(
        10,
        "Failed password logins per account within the window before further attempts get"
        " 429 without a password check, per node; 0: no limit.",
    )
    login_max_client_failures: int = setting(
        100, "Failed password logins per client address within the window, per node; 0: no limit."
    )
    login_failure_window: int = setting(
        900, "Seconds a failed password login counts against its account and address."
    )

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides: Any) -> Settings:
        environ = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for spec in fields(cls):
            raw = environ.get(ENV_PREFIX + spec.name.upper())
            if raw is not None:
                values[spec.name] = _coerce(spec.default, raw)
        values.update({k: v for k, v in overrides.items() if v is not None})
        if "data_dir" in values:
            values["data_dir"] = Path(values["data_dir"])
        return cls(**values)

    def with_(self, **changes: Any) -> Settings:
        return replace(self, **changes)

    @property
    def effective_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'userphoto.sqlite3'}"

    @classmethod
    def describe(cls) -> list[tuple[str, str, str]]:
        """(environment variable, default, description) for every setting."""
        rows = []
        for spec in fields(cls):
            default = "" if spec.default is MISSING else str(spec.default)
            rows.append((ENV_PREFIX + spec.name.upper(), default, spec.metadata["description"]))
        return rows


def _coerce(default: Any, raw: str) -> Any:
    if isinstance(default, bool):
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(default, int):
        return int(raw)
    if isinstance(default, Path):
        return Path(raw)
    return raw
