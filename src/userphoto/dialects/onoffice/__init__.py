"""The onOffice smart API dialect: resources `user` and `userphoto` over `api.php`."""

from userphoto.dialects.onoffice.routes import routes

__all__ = ["routes"]
