import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from userphoto.dialects.onoffice.phpjson import php_json, reference_php_json


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ({"url": "https://a.b/c"}, '{"url":"https:\\/\\/a.b\\/c"}'),
        ({"Ort": "München"}, '{"Ort":"M\\u00fcnchen"}'),
        ("Straße €", '"Stra\\u00dfe \\u20ac"'),
        ("😀", '"\\ud83d\\ude00"'),
        ({}, "[]"),
        ([], "[]"),
        ({"elements": {}, "records": []}, '{"elements":[],"records":[]}'),
        ({"a": [{"b": {}}]}, '{"a":[{"b":[]}]}'),
        ({"n": None, "t": True, "i": 17, "f": 52.5}, '{"n":null,"t":true,"i":17,"f":52.5}'),
        ("tab\tnew\nline", '"tab\\tnew\\nline"'),
    ],
)
def test_encodes_like_php_json_encode(value: object, expected: str) -> None:
    assert php_json(value) == expected


def test_output_decodes_to_the_input_with_empty_objects_as_lists() -> None:
    value = {"photo": "/9j/4AAQ+=", "name": "Jürgen", "elements": {}}
    assert json.loads(php_json(value)) == {**value, "elements": []}


def test_key_order_is_kept() -> None:
    assert php_json({"status": 1, "response": 2}) == '{"status":1,"response":2}'


_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text()
    | st.sampled_from(["{}", "a/b", "{}/[]", "\x7f", "é", "😀", "\ud800"])
)
JSON_LIKE = st.recursive(
    _SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.tuples(inner, inner)
        | st.dictionaries(st.text(max_size=4), inner, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=400, deadline=None)
@given(JSON_LIKE)
def test_fast_encoder_writes_what_the_reference_writes(value: object) -> None:
    assert php_json(value) == reference_php_json(value)
