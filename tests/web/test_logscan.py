"""The shapes the test run's log scan (tests/logscan.py) looks for: every credential userphoto
makes matches, and hashes, UUIDs, ETags and redacted links do not."""

from __future__ import annotations

import base64
import hashlib
import uuid

import pytest

from tests.logscan import credentials_in
from userphoto.core.auth import API_KEY_PREFIX, API_KEY_RANDOM_LENGTH, SESSION_TOKEN_LENGTH
from userphoto.core.links import LinkKeys, redact_tokens, seal
from userphoto.core.secrets import SECRET_LENGTH, TOKEN_LENGTH, random_string

FIXED_UUID = uuid.UUID("0d6c1bde-58a4-4f4e-9a57-2f1e0b0e4a11")
LINK = seal(LinkKeys.derive(b"k" * 32, "tests"), 17, 2_000_000_000)


def _with_digit_and_cases(length: int) -> str:
    """A random credential; the rare draw without a digit or a case is drawn again."""
    while True:
        value = random_string(length)
        if not value.isalpha() and not value.islower() and not value.isupper():
            return value


CREDENTIALS = {
    "api key": lambda: API_KEY_PREFIX + random_string(API_KEY_RANDOM_LENGTH),
    "onOffice token": lambda: _with_digit_and_cases(TOKEN_LENGTH),
    "onOffice secret": lambda: _with_digit_and_cases(SECRET_LENGTH),
    "session token": lambda: _with_digit_and_cases(SESSION_TOKEN_LENGTH),
    "signed link": lambda: LINK,
    "basic header": lambda: "Basic " + base64.b64encode(b"boss:hunter2").decode(),
}


@pytest.mark.parametrize("kind", CREDENTIALS)
def test_credentials_are_found_wherever_they_stand(kind: str) -> None:
    credential = CREDENTIALS[kind]()
    for line in (
        credential,
        f"token={credential}",
        f'"GET /x/{credential}.jpg" 200',
        f"({credential})",
    ):
        assert credentials_in(line), line


@pytest.mark.parametrize(
    "harmless",
    [
        hashlib.sha256(b"x").hexdigest(),
        hashlib.md5(b"x").hexdigest(),
        str(FIXED_UUID),
        FIXED_UUID.hex,
        redact_tokens(f"/Userphoto_{LINK}.jpg"),
        "failed password login for user 2 from 127.0.0.1",
        "A" * 32,
        base64.b64encode(bytes(range(200))).decode(),
    ],
)
def test_harmless_values_are_not_flagged(harmless: str) -> None:
    assert credentials_in(harmless) == []
