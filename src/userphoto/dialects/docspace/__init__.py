"""The ONLYOFFICE DocSpace dialect: people records and the photo API under `/api/2.0`."""

from userphoto.dialects.docspace.routes import routes

__all__ = ["routes"]
