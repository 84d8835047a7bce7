"""The Microsoft Graph dialect: a user's profilePhoto, its sizes, upload and removal."""

from userphoto.dialects.graph.routes import routes

__all__ = ["routes"]
