"""The Exchange Web Services dialect: GetUserPhoto (SOAP and REST) and SetUserPhoto."""

from userphoto.dialects.ews.routes import routes

__all__ = ["routes"]
