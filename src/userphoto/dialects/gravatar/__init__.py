"""The Gravatar/Libravatar dialect: avatars by e-mail hash, at any size, with defaults."""

from userphoto.dialects.gravatar.routes import routes

__all__ = ["routes"]
