"""Request bodies read with a ceiling, so an oversized upload never sits whole in memory."""

from __future__ import annotations

from starlette.requests import Request


async def bounded_body(request: Request, limit: int) -> bytes | None:
    """The raw body; None as soon as it (or its declared Content-Length) exceeds `limit`."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        return None
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)
