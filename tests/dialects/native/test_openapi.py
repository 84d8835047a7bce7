"""The OpenAPI document: valid 3.1, complete, and every answer of the API matches it."""

from __future__ import annotations

import re
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance
from starlette.applications import Starlette
from starlette.routing import Route
from starlette.testclient import TestClient

from userphoto.core.ratelimit import AccessLimits
from userphoto.dialects.native.api import PREFIX

PROBLEM_STATUSES = {"401", "403", "503"}
# Bytes a schema cannot tell from a photo, and crop boxes that must fit inside the image:
# schema-valid input these operations rightly refuse.
BEYOND_THE_SCHEMA = {
    ("PUT", "/api/v1/users/{number}/photo"),
    ("PUT", "/api/v1/addresses/{id}/photo"),
    ("POST", "/api/v1/users/{number}/photo/crop"),
}


@pytest.fixture
def document(client: TestClient) -> dict[str, Any]:
    answer = client.get("/openapi.json")
    assert answer.status_code == 200
    return answer.json()


def native_routes(app: Starlette) -> set[tuple[str, str]]:
    found = set()
    for route in app.routes:
        if isinstance(route, Route) and route.path.startswith(PREFIX):
            found |= {(route.path, m.lower()) for m in route.methods or () if m != "HEAD"}
    return found


def test_every_route_is_documented(app: Starlette, document: dict[str, Any]) -> None:
    documented = {(p, m) for p, ops in document["paths"].items() for m in ops}
    assert native_routes(app) == documented


def test_every_operation_documents_its_parameters_and_errors(document: dict[str, Any]) -> None:
    for path, operations in document["paths"].items():
        in_path = set(re.findall(r"{(\w+)}", path))
        for method, op in operations.items():
            names = {p["name"] for p in op["parameters"] if p["in"] == "path"}
            assert names == in_path, (method, path)
            assert all(p["description"] for p in op["parameters"])
            assert set(op["responses"]) >= PROBLEM_STATUSES, (method, path)
            if in_path:
                assert "404" in op["responses"], (method, path)
            if "requestBody" in op:
                assert {"413", "415", "422"} <= set(op["responses"]), (method, path)
            for status, response in op["responses"].items():
                assert response["description"], (method, path, status)


def test_every_reference_resolves(document: dict[str, Any]) -> None:
    text = str(document)
    for name in re.findall(r"#/components/schemas/(\w+)", text):
        assert name in document["components"]["schemas"]


def test_the_docs_page_is_served_without_external_assets(client: TestClient) -> None:
    page = client.get("/docs")
    assert page.status_code == 200
    sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert sources and all(s.startswith("/") for s in sources)
    for source in sources:
        assert client.get(source).status_code == 200, source


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_schemathesis_finds_no_failure(
    app: Starlette, admin: dict[str, str], mode: GenerationMode
) -> None:
    """Generated requests for every operation: no 500s, every answer as documented, and
    (negative mode) every request the schema forbids refused."""
    # Its auth check sends hundreds of wrong passwords, which the login guard would rightly
    # answer with 429 (tested in tests/web/test_ratelimit.py).
    app.state.services.auth.limits = AccessLimits.unlimited()
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    strategy = st.one_of(*(op.as_strategy(generation_mode=mode) for op in operations))

    @given(case=strategy)
    @settings(
        max_examples=600,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    def run(case: Any) -> None:
        refusable = (case.method, case.path) in BEYOND_THE_SCHEMA
        excluded = [positive_data_acceptance] if refusable else []
        case.call_and_validate(headers=admin, excluded_checks=excluded)

    run()
