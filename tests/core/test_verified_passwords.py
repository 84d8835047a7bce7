"""A password that matched recently is not put through the slow KDF again, within its time."""

from __future__ import annotations

from userphoto.core.caching import VerifiedPasswords


class CountingVerify:
    """The slow check, counting its calls: "right" matches the stored hash "h1" and "h2"."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, password: str, stored: str) -> bool:
        self.calls += 1
        return password == "right" and stored in {"h1", "h2"}


def test_a_matching_password_is_checked_slowly_once() -> None:
    passwords, slow = VerifiedPasswords(), CountingVerify()
    assert all(passwords.verify("right", "h1", slow) for _ in range(5))
    assert slow.calls == 1


def test_a_wrong_password_is_checked_slowly_every_time() -> None:
    passwords, slow = VerifiedPasswords(), CountingVerify()
    passwords.verify("right", "h1", slow)
    assert not passwords.verify("wrong", "h1", slow)
    assert not passwords.verify("wrong", "h1", slow)
    assert slow.calls == 3


def test_a_changed_stored_hash_is_checked_anew() -> None:
    passwords, slow = VerifiedPasswords(), CountingVerify()
    passwords.verify("right", "h1", slow)
    assert passwords.verify("right", "h2", slow)
    assert not passwords.verify("right", "h3", slow)
    assert slow.calls == 3


def test_a_match_is_forgotten_after_its_time() -> None:
    passwords, slow = VerifiedPasswords(ttl=0), CountingVerify()
    passwords.verify("right", "h1", slow)
    passwords.verify("right", "h1", slow)
    assert slow.calls == 2


def test_only_the_newest_matches_are_kept() -> None:
    passwords, slow = VerifiedPasswords(max_entries=1), CountingVerify()
    passwords.verify("right", "h1", slow)
    passwords.verify("right", "h2", slow)
    passwords.verify("right", "h1", slow)
    assert slow.calls == 3
