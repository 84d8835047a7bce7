"""Path convertors every dialect's routes are compiled with.

Starlette's `{name:int}` matches any run of digits and calls int() on it, which raises
(a 500) past Python's 4300-digit conversion limit, and the store refuses (another 500) a
number past 64 bits. Every id here fits 18 digits, so a longer segment names nothing: it
does not match, and the router answers 404.
"""

from __future__ import annotations

from starlette.convertors import IntegerConvertor, register_url_convertor


class BoundedIntegerConvertor(IntegerConvertor):
    regex = "[0-9]{1,18}"


def register() -> None:
    """Replace `int` for every route compiled after this call."""
    register_url_convertor("int", BoundedIntegerConvertor())
