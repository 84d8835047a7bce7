"""DocSpace's wording of file sizes in its upload messages (FileSizeComment, `#,0.##`)."""

from __future__ import annotations

_UNITS = ("bytes", "KB", "MB", "GB", "TB")


def size_exceeded(limit: int) -> str:
    return f"The maximum file size is exceeded ({file_size(limit)})."


def file_size(length: int) -> str:
    """`5242880` → `5 MB`, `1536` → `1.5 KB`, `1000` → `1,000 bytes`."""
    value = float(length)
    unit = 0
    while value >= 1024 and unit < len(_UNITS) - 1:
        value /= 1024
        unit += 1
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{text} {_UNITS[unit]}"
