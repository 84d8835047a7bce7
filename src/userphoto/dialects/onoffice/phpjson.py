"""JSON the way PHP's `json_encode` writes it with default flags.

onOffice clients receive this byte form, and HMAC v1 signs the `json_encode` of the
parameters, so the response writer and the signature check share this one encoder.
"""

from __future__ import annotations

import json
from typing import Any

# Compact and ASCII-only; the C encoder, made once rather than by every json.dumps call.
_ENCODER = json.JSONEncoder(ensure_ascii=True, separators=(",", ":"))


def php_json(value: Any) -> str:
    """Compact, ASCII-only, `/` escaped as `\\/`, and an empty object written as `[]`.

    Equal to `reference_php_json`, without its walk over every value: an empty object
    always leaves "{}" in the text, so text without it needs no rewriting of arrays.
    """
    text = _ENCODER.encode(value)
    if "{}" in text:
        # An empty object, or merely "{}" inside a string: the exact, slower way decides.
        return reference_php_json(value)
    return _escape_slashes(text)


def reference_php_json(value: Any) -> str:
    """The definition: PHP's one array type applied to every value, then encoded."""
    return _escape_slashes(_ENCODER.encode(_php_arrays(value)))


def _escape_slashes(text: str) -> str:
    # "/" occurs in JSON text only inside strings, so escaping it everywhere is exact.
    return text.replace("/", "\\/")


def _php_arrays(value: Any) -> Any:
    # PHP has one array type: an empty associative array encodes as a list.
    if isinstance(value, dict):
        return {k: _php_arrays(v) for k, v in value.items()} if value else []
    if isinstance(value, list | tuple):
        return [_php_arrays(v) for v in value]
    return value
