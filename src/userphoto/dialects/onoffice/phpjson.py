"""JSON the way PHP's `json_encode` writes it with default flags.

onOffice clients receive this byte form, and HMAC v1 signs the `json_encode` of the
parameters, so the response writer and the signature check share this one encoder.
"""

from __future__ import annotations

import json
from typing import Any


def php_json(value: Any) -> str:
    """Compact, ASCII-only, `/` escaped as `\\/`, and an empty object written as `[]`."""
    text = json.dumps(_php_arrays(value), ensure_ascii=True, separators=(",", ":"))
    # "/" occurs in JSON text only inside strings, so escaping it everywhere is exact.
    return text.replace("/", "\\/")


def _php_arrays(value: Any) -> Any:
    # PHP has one array type: an empty associative array encodes as a list.
    if isinstance(value, dict):
        return {k: _php_arrays(v) for k, v in value.items()} if value else []
    if isinstance(value, list | tuple):
        return [_php_arrays(v) for v in value]
    return value
