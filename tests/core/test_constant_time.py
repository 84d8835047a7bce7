"""Secrets, tokens, signatures and CSRF values are compared in constant time everywhere.

A scan of the source: no `==` or `!=` may have a secret-named value on either side; such
comparisons go through `hmac.compare_digest`. Not flagged: lengths (`len(token)`), public
constants, field-name strings, and SQL lookups by a hash column (`table.c.token_hash == h`:
the secret was hashed first, so the database's timing tells nothing about it).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import userphoto

SOURCE = Path(userphoto.__file__).parent
SECRET_WORDS = frozenset(
    {"secret", "secrets", "token", "tokens", "signature", "sig", "hmac", "csrf", "password"}
)
# Words that make a secret-sounding name something public about it.
PUBLIC_WORDS = frozenset({"version", "length", "name", "count"})


def _compared_name(operand: ast.expr) -> str | None:
    """The name a compared value goes by, or None for what cannot hold a secret."""
    if isinstance(operand, ast.Name):
        return None if operand.id.lstrip("_").isupper() else operand.id
    if isinstance(operand, ast.Attribute):
        return None if operand.attr.isupper() else operand.attr
    if isinstance(operand, ast.Subscript) and isinstance(operand.slice, ast.Constant):
        return str(operand.slice.value)
    if isinstance(operand, ast.Call):
        if isinstance(operand.func, ast.Name) and operand.func.id == "len":
            return None
        if operand.args and isinstance(operand.args[0], ast.Constant):  # mapping.get("secret")
            return str(operand.args[0].value)
        return _compared_name(operand.func)
    return None


def _is_secret(name: str) -> bool:
    words = {word.lower() for word in re.split(r"[_\W]+", name) if word}
    return bool(words & SECRET_WORDS) and not words & PUBLIC_WORDS


def _is_sql_column(operand: ast.expr) -> bool:
    return ".c." in ast.unparse(operand)


def plain_secret_comparisons(tree: ast.AST) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Compare):
            continue
        if not any(isinstance(op, ast.Eq | ast.NotEq) for op in node.ops):
            continue
        operands = [node.left, *node.comparators]
        if any(_is_sql_column(operand) for operand in operands):
            continue
        names = [_compared_name(operand) for operand in operands]
        if any(name is not None and _is_secret(name) for name in names):
            found.append(f"line {node.lineno}: {ast.unparse(node)}")
    return found


@pytest.mark.parametrize(
    "path", sorted(SOURCE.rglob("*.py")), ids=lambda p: str(p.relative_to(SOURCE))
)
def test_no_secret_is_compared_with_equals(path: Path) -> None:
    assert plain_secret_comparisons(ast.parse(path.read_text())) == []


@pytest.mark.parametrize(
    "code",
    [
        "api_user.secret == saved.get('secret')",
        "token != sent",
        "request.cookies['csrf'] == form_value",
        "expected_signature == action.hmac",
        "user.password_hash == stored",
        "_hmac(key, body) == header",
    ],
)
def test_the_scan_finds_plain_comparisons(code: str) -> None:
    assert plain_secret_comparisons(ast.parse(code)) != []


@pytest.mark.parametrize(
    "code",
    [
        "len(token) != TOKEN_LENGTH",
        "action.hmac_version == 2",
        "f.name != 'password_hash'",
        "sessions.c.token_hash == token_hash",
        "hmac.compare_digest(token.encode(), sent.encode())",
        "etag == current",
    ],
)
def test_the_scan_lets_safe_comparisons_pass(code: str) -> None:
    assert plain_secret_comparisons(ast.parse(code)) == []
