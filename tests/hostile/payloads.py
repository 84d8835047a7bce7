"""Hostile values every dialect's corpus draws from: traversals, SQL, sizes, XML, images, URLs."""

from __future__ import annotations

import base64
import struct
import zipfile
import zlib
from functools import cache
from io import BytesIO

from tests.images import (
    RED,
    encode,
    gif_frame_bomb,
    jpeg_header_bomb,
    png_header_bomb,
    solid,
    webp_canvas_bomb,
)

# Path parameter values that stay one segment once the server has percent-decoded them.
TRAVERSALS: dict[str, str] = {
    "nul": "%00",
    "dotdot": "%2e%2e",
    "dotdot-nul": "%2e%2e%00",
    "backslashes": "..%5c..%5cwindows%5cwin.ini",
    "dots": "....",
    "semicolon": "..;",
    "overlong-utf8": "%c0%ae%c0%ae",
    "unicode-dots": "%e2%80%a4%e2%80%a4",
    "tilde": "~root",
}
# Values that become several segments once decoded (the TestClient decodes twice, so the
# double-encoded form is one of them): no route matches, and the router answers 404.
ESCAPING_TRAVERSALS: dict[str, str] = {
    "encoded-slashes": "..%2f..%2f..%2fetc%2fpasswd",
    "double-encoded": "%252e%252e%252fetc%252fpasswd",
}
# Values that try to end a string literal or statement, in filters, searches and names.
SQL_FRAGMENTS: tuple[str, ...] = (
    "' OR '1'='1",
    "1; DROP TABLE users; --",
    '" OR 1=1 --',
    "1 UNION SELECT key_hash FROM api_keys",
    "%' OR 1=1 --",
    "'); DELETE FROM photos; --",
    "1) OR (1=1",
    "admin'--",
    "'; SELECT pg_sleep(5); --",
    "x' AND randomblob(1000000000) --",
)
HUGE_DIGITS = "9" * 5000  # past Python's 4300-digit int() limit
HUGE_TEXT = "A" * 100_000
HUGE_INTS: tuple[int, ...] = (2**63, -(2**63) - 1, 2**64, 10**30)
DEEP_JSON_ARRAY = b"[" * 100_000 + b"]" * 100_000
DEEP_JSON_OBJECT = b'{"a":' * 5_000 + b"1" + b"}" * 5_000


def json_truncations(document: bytes) -> dict[str, bytes]:
    """`document` cut off at a few places and broken in the usual ways."""
    return {
        "cut-half": document[: len(document) // 2],
        "cut-last": document[:-1],
        "trailing-comma": document[:-1] + b",}",
        "single-quotes": document.replace(b'"', b"'"),
        "bom-garbage": b"\xef\xbb\xbf\x00" + document,
        "latin1": document[:-1] + b',"x":"\xe9"}',
        "nan": document[:-1] + b',"x":NaN}',
        "control-char": document[:-1] + b',"x":"a\x01b"}',
    }


# --- XML -------------------------------------------------------------------------------------

_LAUGHS = "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
BILLION_LAUGHS_DTD = f'<!DOCTYPE lolz [<!ENTITY lol0 "lol">{_LAUGHS}]>'
XXE_DTDS: dict[str, str] = {
    "file": '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>',
    "http": '<!DOCTYPE x [<!ENTITY e SYSTEM "http://169.254.169.254/latest/meta-data/">]>',
    "parameter": '<!DOCTYPE x [<!ENTITY % p SYSTEM "http://127.0.0.1/evil.dtd"> %p;]>',
    "external-dtd": '<!DOCTYPE x SYSTEM "http://127.0.0.1/x.dtd">',
    "quadratic": '<!DOCTYPE x [<!ENTITY e "' + "A" * 50_000 + '">]>',
}


def deep_xml(depth: int) -> bytes:
    return b"<a>" * depth + b"</a>" * depth


# --- images ----------------------------------------------------------------------------------


@cache
def jpeg_photo() -> bytes:
    return encode(solid((64, 64), RED), "JPEG")


@cache
def png_photo() -> bytes:
    return encode(solid((64, 64), RED), "PNG")


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


@cache
def png_inflating_bomb() -> bytes:
    """A real PNG of 8000 x 8000 grey pixels: 64 MB of rows in a few dozen KB of IDAT."""
    side = 8000
    packer = zlib.compressobj(9)
    row = b"\0" * (side + 1)
    idat = b"".join(packer.compress(row) for _ in range(side)) + packer.flush()
    ihdr = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", ihdr)
        + _png_chunk(b"IDAT", idat)
        + _png_chunk(b"IEND", b"")
    )


def zip_of(name: str, data: bytes) -> bytes:
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(name, data)
    return buffer.getvalue()


@cache
def refused_images() -> dict[str, bytes]:
    """Uploads no dialect may store: each is refused before or while decoding."""
    jpeg, png = jpeg_photo(), png_photo()
    return {
        "empty": b"",
        "one-byte": b"\xff",
        "jpeg-soi-only": b"\xff\xd8",
        "jpeg-truncated": jpeg[: len(jpeg) // 2],
        "png-truncated": png[: len(png) // 2],
        "png-signature-only": png[:8],
        "png-header-bomb": png_header_bomb(100_000, 100_000),
        "png-inflating-bomb": png_inflating_bomb(),
        "jpeg-header-bomb": jpeg_header_bomb(65_000, 65_000),
        "gif-frame-bomb": gif_frame_bomb(65_535, 65_535),
        "webp-canvas-bomb": webp_canvas_bomb(16_000_000, 16_000_000),
        "jpeg-zero-size": jpeg_header_bomb(0, 0),
        "zip-holding-jpeg": zip_of("photo.jpg", jpeg),
        "html-then-jpeg": b"<html><script>alert(1)</script></html>" + jpeg,
        "gif-js-polyglot": b"GIF89a/*\x00\x00*/=alert(document.domain);//" + b"\0" * 32,
        "svg-script": (
            b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
            b"<script>alert(document.cookie)</script></svg>"
        ),
        "pdf": b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF",
        "bmp": encode(solid((8, 8), RED), "BMP"),
        "tiff": encode(solid((8, 8), RED), "TIFF"),
        "webp-riff-truncated": b"RIFF\x10\x00\x00\x00WEBPVP8 ",
    }


# The core's reason for refusing each of refused_images(), which every dialect words its way.
REFUSAL_REASONS: dict[str, str] = {
    "empty": "empty",
    "one-byte": "unknown-format",
    "jpeg-soi-only": "unknown-format",
    "jpeg-truncated": "unreadable",
    "png-truncated": "unreadable",
    "png-signature-only": "unreadable",
    "png-header-bomb": "too-many-pixels",
    "png-inflating-bomb": "too-many-pixels",
    "jpeg-header-bomb": "too-many-pixels",
    "gif-frame-bomb": "too-many-pixels",
    "webp-canvas-bomb": "too-many-pixels",
    "jpeg-zero-size": "unreadable",
    "zip-holding-jpeg": "unknown-format",
    "html-then-jpeg": "unknown-format",
    "gif-js-polyglot": "unreadable",
    "svg-script": "unknown-format",
    "pdf": "unknown-format",
    "bmp": "unknown-format",
    "tiff": "unknown-format",
    "webp-riff-truncated": "unreadable",
}


def base64_of(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


# --- URLs a photo may be fetched from ---------------------------------------------------------

# Each must be refused before any connection is made: every one names an inner address.
SSRF_URLS: dict[str, str] = {
    "loopback": "http://127.0.0.1/a.png",
    "loopback-port": "http://127.0.0.1:5432/",
    "loopback-other": "http://127.8.9.10/a.png",
    "localhost": "http://localhost/a.png",
    "localhost-dot": "http://localhost./a.png",
    "decimal": "http://2130706433/a.png",
    "octal": "http://0177.0.0.1/a.png",
    "hex": "http://0x7f000001/a.png",
    "hex-dotted": "http://0x7f.0x0.0x0.0x1/a.png",
    "short-form": "http://127.1/a.png",
    "zero": "http://0.0.0.0/a.png",
    "zero-short": "http://0/a.png",
    "ipv6-loopback": "http://[::1]/a.png",
    "ipv6-unspecified": "http://[::]/a.png",
    "ipv6-mapped": "http://[::ffff:127.0.0.1]/a.png",
    "ipv6-mapped-hex": "http://[::ffff:7f00:1]/a.png",
    "ipv6-compat": "http://[::127.0.0.1]/a.png",
    "ipv6-link-local": "http://[fe80::1]/a.png",
    "ipv6-unique-local": "http://[fd00::1]/a.png",
    "ipv6-6to4-loopback": "http://[2002:7f00:1::]/a.png",
    "ipv6-nat64": "http://[64:ff9b::7f00:1]/a.png",
    "private-10": "http://10.0.0.1/a.png",
    "private-172": "http://172.16.0.1/a.png",
    "private-192": "http://192.168.0.1/a.png",
    "cgnat": "http://100.64.0.1/a.png",
    "metadata": "http://169.254.169.254/latest/meta-data/",
    "broadcast": "http://255.255.255.255/a.png",
    "multicast": "http://224.0.0.1/a.png",
    "userinfo": "http://a@127.0.0.1/a.png",
    "userinfo-host-lookalike": "http://example.com@127.0.0.1/a.png",
    "userinfo-password": "http://user:pass@10.0.0.1/a.png",
    "dns-intranet": "http://intranet.example/a.png",
    "dns-metadata": "http://metadata.example/latest/meta-data/",
    "dns-ipv6": "http://six.example/a.png",
    "dns-mapped": "http://mapped.example/a.png",
    "dns-rebind-mixed": "http://rebind.example/a.png",
    "dns-private": "http://nip.example/a.png",
    "https-loopback": "https://127.0.0.1/a.png",
    "uppercase-scheme": "HTTP://127.0.0.1/a.png",
    "file": "file:///etc/passwd",
    "file-host": "file://localhost/etc/passwd",
    "gopher": "gopher://127.0.0.1:6379/_FLUSHALL",
    "ftp": "ftp://10.0.0.1/a.png",
    "dict": "dict://127.0.0.1:11211/stats",
    "ldap": "ldap://127.0.0.1/",
    "data": "data:image/png;base64,iVBORw0KGgo=",
    "javascript": "javascript:alert(1)",
    "jar": "jar:http://127.0.0.1/a.zip!/a.png",
    "no-host": "http:///a.png",
    "bad-ipv6": "http://[::1/a.png",
    "bad-port": "http://127.0.0.1:99999/a.png",
}
# Inner targets a public server may redirect to; the redirect must be refused too.
REDIRECT_TARGETS: dict[str, str] = {
    "to-loopback": "http://127.0.0.1/a.png",
    "to-metadata": "http://169.254.169.254/latest/meta-data/",
    "to-ipv6": "http://[::1]/a.png",
    "to-decimal": "http://2130706433/a.png",
    "to-dns-intranet": "http://intranet.example/a.png",
    "to-file": "file:///etc/passwd",
    "to-gopher": "gopher://127.0.0.1:6379/_x",
}
