"""Assembles the ASGI application from the registered dialects."""
