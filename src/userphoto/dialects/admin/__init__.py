"""The web admin pages under /admin: login, the directory grid, a person's photo, API keys."""

from userphoto.dialects.admin.routes import routes

__all__ = ["routes"]
