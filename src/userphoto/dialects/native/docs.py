"""`/openapi.json` and the interactive docs at `/docs`, Swagger UI served from its pip package."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from swagger_ui_bundle import swagger_ui_path

ASSETS = "/docs/assets"
PAGE = f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>userphoto API</title>
<link rel="stylesheet" href="{ASSETS}/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="{ASSETS}/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script>
</body>
</html>
"""
INIT = 'window.ui = SwaggerUIBundle({url: "/openapi.json", dom_id: "#swagger-ui"});\n'


def docs_routes(build_document: Callable[[], dict[str, Any]]) -> list[BaseRoute]:
    """`build_document` runs once, on the first request for it, off the event loop."""
    document = cache(build_document)

    async def openapi(_: Request) -> JSONResponse:
        return JSONResponse(await run_in_threadpool(document))

    async def page(_: Request) -> HTMLResponse:
        return HTMLResponse(PAGE)

    async def init(_: Request) -> Response:
        return Response(INIT, media_type="text/javascript")

    return [
        Route("/openapi.json", openapi, methods=["GET"]),
        Route("/docs", page, methods=["GET"]),
        Route("/docs/init.js", init, methods=["GET"]),
        Mount(ASSETS, app=StaticFiles(directory=str(swagger_ui_path)), name="swagger-ui"),
    ]
