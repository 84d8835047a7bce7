"""Signed photo links: tokens open only unchanged, unexpired, for their purpose, and name no one."""

from __future__ import annotations

import base64
import struct
from collections.abc import Callable

import pytest
from cryptography.fernet import Fernet

from tests.clocks import TOKEN_ALPHABET as ALPHABET
from tests.clocks import Clock
from userphoto.core.links import (
    MARKER,
    REDACTED,
    TOKEN_LENGTH,
    LinkKeys,
    LinkSigner,
    redact_tokens,
    seal,
    unseal,
)
from userphoto.core.secrets import SecretBox

KEYS = LinkKeys.derive(b"m" * 32, "tests")
HORIZON = 10_000
NOW = 1_767_225_600


def test_a_sealed_token_opens_to_its_number() -> None:
    for number in (0, 1, 17, -3, 2**62):
        token = seal(KEYS, number, NOW + 60)
        assert len(token) == TOKEN_LENGTH and token.startswith(MARKER)
        assert unseal(KEYS, token, NOW, HORIZON) == number


def test_equal_inputs_give_equal_tokens_and_others_differ() -> None:
    assert seal(KEYS, 17, NOW + 60) == seal(KEYS, 17, NOW + 60)
    assert seal(KEYS, 17, NOW + 60) != seal(KEYS, 18, NOW + 60)
    assert seal(KEYS, 17, NOW + 60) != seal(KEYS, 17, NOW + 61)


def test_the_token_does_not_carry_the_number_in_the_clear() -> None:
    for number in (17, 10001, 2**40 + 5):
        token = seal(KEYS, number, NOW + 60)
        raw = base64.urlsafe_b64decode(token[1:] + "==")
        assert struct.pack(">q", number) not in raw
        assert struct.pack(">I", NOW + 60) not in raw


@pytest.mark.parametrize("position", range(1, TOKEN_LENGTH))
def test_every_changed_character_is_refused(position: int) -> None:
    token = seal(KEYS, 17, NOW + 60)
    for replacement in {
        ALPHABET[(ALPHABET.index(token[position]) + step) % 64] for step in (1, 32)
    }:
        forged = token[:position] + replacement + token[position + 1 :]
        assert unseal(KEYS, forged, NOW, HORIZON) is None, forged


@pytest.mark.parametrize(
    "mangle",
    [
        lambda t: t[:-1],
        lambda t: t + "A",
        lambda t: t[1:],
        lambda t: "!" + t[1:],
        lambda t: t[:-1] + "=",
        lambda t: t[:5] + "." + t[6:],
        lambda t: "",
        lambda t: MARKER + "A" * (TOKEN_LENGTH - 1),
    ],
)
def test_malformed_tokens_are_refused(mangle: Callable[[str], str]) -> None:
    assert unseal(KEYS, mangle(seal(KEYS, 17, NOW + 60)), NOW, HORIZON) is None


def test_only_the_canonical_spelling_opens() -> None:
    token = seal(KEYS, 17, NOW + 60)
    # The last character carries 2 data bits and 4 padding bits: its siblings decode alike.
    last = ALPHABET.index(token[-1])
    siblings = [ALPHABET[(last & ~0b1111) | low] for low in range(16) if low != last & 0b1111]
    assert all(unseal(KEYS, token[:-1] + s, NOW, HORIZON) is None for s in siblings)


def test_a_token_opens_only_for_its_purpose_and_key() -> None:
    token = seal(KEYS, 17, NOW + 60)
    assert unseal(LinkKeys.derive(b"m" * 32, "other"), token, NOW, HORIZON) is None
    assert unseal(LinkKeys.derive(b"n" * 32, "tests"), token, NOW, HORIZON) is None


def test_expiry_edge() -> None:
    token = seal(KEYS, 17, NOW + 60)
    assert unseal(KEYS, token, NOW + 59.999, HORIZON) == 17
    assert unseal(KEYS, token, NOW + 60, HORIZON) is None
    assert unseal(KEYS, token, NOW + 10**6, HORIZON) is None


def test_a_token_beyond_the_horizon_is_refused() -> None:
    """A lifetime shortened later applies to links already handed out."""
    token = seal(KEYS, 17, NOW + 600)
    assert unseal(KEYS, token, NOW, 600) == 17
    assert unseal(KEYS, token, NOW, 599) is None


def test_the_signer_issues_links_lasting_the_lifetime_to_one_step_more() -> None:
    clock = Clock(NOW + 1)  # NOW is a multiple of the step (3600 / 8)
    signer = LinkSigner(b"k" * 32, 3600, clock)
    token = signer.issue("onoffice", 17)
    assert signer.issue("onoffice", 17) == token
    clock.now = NOW + 3600 + 449.5
    assert signer.owner("onoffice", token) == 17
    clock.now = NOW + 3600 + 450
    assert signer.owner("onoffice", token) is None


def test_within_a_step_the_link_stays_the_same_url() -> None:
    clock = Clock(NOW + 1)
    signer = LinkSigner(b"k" * 32, 3600, clock)
    first = signer.issue("onoffice", 17)
    clock.now = NOW + 450
    assert signer.issue("onoffice", 17) == first
    clock.now = NOW + 451
    assert signer.issue("onoffice", 17) != first


def test_the_signer_keeps_purposes_apart() -> None:
    signer = LinkSigner(b"k" * 32, 3600, Clock(NOW))
    token = signer.issue("onoffice", 17)
    assert signer.owner("onoffice", token) == 17
    assert signer.owner("docspace", token) is None


def test_a_lifetime_under_a_second_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one second"):
        LinkSigner(b"k" * 32, 0)


def test_redaction_blanks_every_token() -> None:
    token = seal(KEYS, 17, NOW + 60)
    line = f'"GET /x/Userphoto_{token}.jpg HTTP/1.1" and /root/{token}_size_82-82.jpg'
    redacted = redact_tokens(line)
    assert token not in redacted
    assert (
        redacted
        == f'"GET /x/Userphoto_{REDACTED}.jpg HTTP/1.1" and /root/{REDACTED}_size_82-82.jpg'
    )


def test_the_link_key_is_derived_not_the_server_key() -> None:
    key = Fernet.generate_key()
    box = SecretBox(key)
    derived = box.derive("photo-links")
    assert derived == SecretBox(key).derive("photo-links")
    assert derived != box.derive("other")
    assert derived not in (key, base64.urlsafe_b64decode(key))
    assert SecretBox(Fernet.generate_key()).derive("photo-links") != derived
