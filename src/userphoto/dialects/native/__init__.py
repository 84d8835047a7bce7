"""The native REST API `/api/v1`, described by OpenAPI 3.1 at `/openapi.json`."""

from userphoto.dialects.native.routes import routes

__all__ = ["routes"]
