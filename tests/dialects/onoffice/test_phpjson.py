import json

import pytest

from userphoto.dialects.onoffice.phpjson import php_json


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
