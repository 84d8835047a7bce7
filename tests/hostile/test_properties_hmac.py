"""The onOffice HMAC verifier, property-based: the right signature passes, any change to a
signed field or to the signature fails, and the timestamp window holds to the second."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.dialects.onoffice.support import READ, sign_v2
from userphoto.dialects.onoffice.signatures import signature_valid, timestamp_fresh
from userphoto.dialects.onoffice.wire import Action

MANY = settings(max_examples=500, deadline=None)
WINDOW = 900

texts = st.text(min_size=1, max_size=40)
timestamps = st.integers(min_value=0, max_value=10**12).map(str)


@st.composite
def signed_actions(draw: st.DrawFn) -> tuple[Action, str, str]:
    """An action signed with HMAC v2, with the token and secret that signed it."""
    token, secret = draw(texts), draw(texts)
    resourcetype = draw(st.sampled_from(["user", "userphoto"]) | texts)
    actionid = draw(st.just(READ) | texts)
    timestamp = draw(timestamps)
    signature = sign_v2(secret, timestamp, token, resourcetype, actionid)
    action = Action(actionid, "", resourcetype, None, timestamp, signature, 2, {})
    return action, token, secret


def _other(value: str, draw: st.DrawFn) -> str:
    return draw(texts.filter(lambda changed: changed != value))


@MANY
@given(signed=signed_actions())
def test_the_right_signature_passes(signed: tuple[Action, str, str]) -> None:
    action, token, secret = signed
    assert signature_valid(action, token, secret)


@MANY
@given(signed=signed_actions(), data=st.data())
def test_any_change_to_a_signed_field_fails(
    signed: tuple[Action, str, str], data: st.DataObject
) -> None:
    action, token, secret = signed
    changed = data.draw(
        st.sampled_from(["token", "secret", "resourcetype", "actionid", "timestamp"])
    )
    if changed == "token":
        assert not signature_valid(action, _other(token, data.draw), secret)
    elif changed == "secret":
        assert not signature_valid(action, token, _other(secret, data.draw))
    elif changed == "timestamp":
        other = data.draw(timestamps.filter(lambda t: t != action.timestamp))
        assert not signature_valid(replace(action, timestamp=other), token, secret)
    else:
        value = _other(getattr(action, changed), data.draw)
        assert not signature_valid(replace(action, **{changed: value}), token, secret)


@MANY
@given(signed=signed_actions(), data=st.data())
def test_any_change_to_the_signature_fails(
    signed: tuple[Action, str, str], data: st.DataObject
) -> None:
    action, token, secret = signed
    signature = action.hmac or ""
    at = data.draw(st.integers(min_value=0, max_value=len(signature) - 1))
    replacement = data.draw(st.characters().filter(lambda c: c != signature[at]))
    mutations = [
        signature[:at] + replacement + signature[at + 1 :],  # one character changed
        signature[:at],  # cut short
        signature + replacement,  # extended
        signature.lower() if signature.lower() != signature else signature.upper(),
    ]
    for forged in mutations:
        assert not signature_valid(replace(action, hmac=forged), token, secret)
    assert not signature_valid(replace(action, hmac=None), token, secret)
    assert not signature_valid(replace(action, hmac_version=1), token, secret)


@MANY
@given(now=st.integers(min_value=WINDOW, max_value=10**12), offset=st.integers(-WINDOW, WINDOW))
def test_a_timestamp_inside_the_window_is_fresh(now: int, offset: int) -> None:
    action = Action(READ, "", "user", None, str(now + offset), "x", 2, {})
    assert timestamp_fresh(action, now + 0.999, WINDOW)


@MANY
@given(
    now=st.integers(min_value=2 * 10**9, max_value=10**12),
    beyond=st.integers(min_value=1, max_value=10**9),
    future=st.booleans(),
)
def test_a_timestamp_past_the_window_is_stale(now: int, beyond: int, future: bool) -> None:
    offset = WINDOW + beyond
    timestamp = now + offset if future else now - offset
    action = Action(READ, "", "user", None, str(timestamp), "x", 2, {})
    assert not timestamp_fresh(action, now, WINDOW)
