"""The onOffice API users page: create (token and secret shown once), list, revoke."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient

from tests.dialects.admin.conftest import post_form
from userphoto.core.model import Right, User
from userphoto.core.services import Services

PAGE = "/admin/api-users"
SHOWN = re.compile(r'id="new-(token|secret)" value="([^"]+)"')


def create(client: TestClient, data: dict[str, Any]) -> tuple[httpx.Response, dict[str, str]]:
    """The answer to the create form, and the token and secret it shows."""
    answer = post_form(client, PAGE, PAGE, data)
    return answer, dict(SHOWN.findall(answer.text))


def test_an_api_user_is_shown_once_and_works_until_revoked(
    admin_client: TestClient, services: Services, plain_user: User
) -> None:
    answer, shown = create(
        admin_client, {"name": "crm sync", "user": "pat@example.com", "rights": "read-user-data"}
    )
    assert answer.status_code == 200 and set(shown) == {"token", "secret"}
    api_user = services.api_users.by_token(shown["token"])
    assert api_user is not None and api_user.secret == shown["secret"]
    assert api_user.user_number == plain_user.number
    assert api_user.rights == {Right.READ_USER_DATA}
    listing = admin_client.get(PAGE).text
    row = re.search(r"<tr>\s*<td>crm sync</td>.*?</tr>", listing, re.DOTALL)
    assert row is not None
    assert f'href="/admin/people/{plain_user.number}">pat</a>' in row.group(0)
    assert "read-user-data" in row.group(0)
    assert shown["token"] not in listing and shown["secret"] not in listing
    revoked = post_form(admin_client, PAGE, f"{PAGE}/{api_user.id}/revoke", {})
    assert "The API user is revoked." in revoked.text
    assert services.api_users.by_token(shown["token"]) is None
    assert "crm sync" not in revoked.text


def test_without_a_linked_user_or_rights(admin_client: TestClient, services: Services) -> None:
    answer, shown = create(admin_client, {"name": "kiosk", "rights": "no-such-right"})
    assert answer.status_code == 200
    api_user = services.api_users.by_token(shown["token"])
    assert api_user is not None
    assert api_user.user_number is None and api_user.rights == frozenset()
    row = re.search(r"<td>kiosk</td>\s*<td>none</td>\s*<td>none</td>", admin_client.get(PAGE).text)
    assert row is not None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": ""}, "Give the API user a name"),
        ({"name": "x" * 101}, "Give the API user a name"),
        ({"name": "a\x00b"}, "Give the API user a name"),
        ({"name": "crm", "user": "nobody-here"}, "No user"),
        ({"name": "crm", "user": "no\x00body"}, "No user"),
    ],
)
def test_a_bad_form_is_explained_and_creates_nothing(
    admin_client: TestClient, services: Services, data: dict[str, str], message: str
) -> None:
    answer, shown = create(admin_client, data)
    assert answer.status_code == 400 and not shown
    assert message in answer.text
    assert services.api_users.list() == []


def test_forms_without_the_csrf_token_change_nothing(
    admin_client: TestClient, services: Services
) -> None:
    assert admin_client.post(PAGE, data={"name": "crm"}).status_code == 403
    assert services.api_users.list() == []
    created = services.api_users.create("crm", None, [])
    assert admin_client.post(f"{PAGE}/{created.api_user.id}/revoke").status_code == 403
    assert [a.id for a in services.api_users.list()] == [created.api_user.id]


def test_revoking_an_unknown_api_user_is_404(admin_client: TestClient) -> None:
    assert post_form(admin_client, PAGE, f"{PAGE}/4242/revoke", {}).status_code == 404


def test_every_field_has_a_label(admin_client: TestClient, services: Services) -> None:
    services.api_users.create("crm", None, [Right.READ_USER_DATA])
    page = admin_client.get(PAGE).text
    inputs = re.findall(r'<input id="([^"]+)"', page)
    assert {"api-user-name", "api-user-user"} <= set(inputs)
    for field in inputs:
        assert f'<label for="{field}">' in page, field
    assert re.search(r'<label class="check"><input type="checkbox" name="rights"', page)
    assert 'aria-label="Revoke API user crm"' in page
