"""Every request example of the onOffice documentation seeds, sent verbatim.

`seed_examples/` holds the examples as the seeds print them (the user example of seed
002 is a fragment: the braces around it are added). The responses must equal the
documented ones byte for byte once compacted, except for the photos, which are ours.
The examples disagree about user 21 (a photo in the link example, none in the filter
example), so each test arranges the state its example shows.
"""

import base64
import io
import json
import re
from pathlib import Path

from PIL import Image

from tests.dialects.onoffice.support import OnOfficeClient, jpeg, photo_base64
from userphoto.config import Settings
from userphoto.core.model import PhotoOwner
from userphoto.core.services import Services

EXAMPLES = Path(__file__).parent / "seed_examples"


def example(name: str) -> str:
    return (EXAMPLES / f"{name}.json").read_text()


def compact(document: str) -> str:
    """A pretty-printed docs example as the API writes it: compact, "/" escaped."""
    return json.dumps(json.loads(document), separators=(",", ":")).replace("/", "\\/")


def send_verbatim(api: OnOfficeClient, name: str) -> str:
    action = api.signed(json.loads(example(name)))
    response = api.raw(json.dumps(api.envelope(action)))
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    return response.text


def with_photos(name: str, *photos: str) -> str:
    """The compacted example with its photo strings replaced, in order, by `photos`."""
    pieces = re.split(r'"photo":"[^"]+"', compact(example(name)))
    assert len(pieces) == len(photos) + 1
    escaped = ['"photo":' + json.dumps(p).replace("/", "\\/") for p in photos]
    return "".join(p + e for p, e in zip(pieces, [*escaped, ""], strict=True))


def test_photo_as_link(api: OnOfficeClient, directory: Services, settings: Settings) -> None:
    directory.photos.set_photo(PhotoOwner.user(21), jpeg())
    link = f"http://testserver/smart20/Dateien/{settings.onoffice_customer}/users/Userphoto_21.jpg"
    assert send_verbatim(api, "link_request") == with_photos("link_response", link)


def test_photos_of_users_17_19_21(api: OnOfficeClient, directory: Services) -> None:
    ours = photo_base64(directory, 17, 240)
    assert send_verbatim(api, "filter_request") == with_photos("filter_response", ours)


def test_photos_by_messenger_ids(api: OnOfficeClient, directory: Services) -> None:
    ours = photo_base64(directory, 25, 240)
    assert send_verbatim(api, "messenger_request") == with_photos("messenger_response", ours)


def test_base64_photo_is_the_square_jpeg_of_the_configured_size(
    api: OnOfficeClient, settings: Settings
) -> None:
    response = json.loads(send_verbatim(api, "filter_request"))
    photo = response["response"]["results"][0]["data"]["records"][2]["elements"]["photo"]
    image = Image.open(io.BytesIO(base64.b64decode(photo, validate=True)))
    assert image.format == "JPEG"
    assert image.size == (settings.onoffice_photo_size, settings.onoffice_photo_size)


def test_read_user(api: OnOfficeClient) -> None:
    response = json.loads(send_verbatim(api, "user_request"))
    assert list(response) == ["status", "response"]
    assert response["status"] == {"code": 200, "errorcode": 0, "message": "OK"}
    (result,) = response["response"]["results"]
    assert list(result) == [
        "actionid",
        "resourceid",
        "resourcetype",
        "cacheable",
        "identifier",
        "data",
        "status",
    ]
    assert result["cacheable"] is True
    assert result["data"]["meta"] == {"cntabsolute": 3}
    assert [r["id"] for r in result["data"]["records"]] == [21, 19, 17]
    theo = result["data"]["records"][1]
    assert json.dumps(theo, separators=(",", ":")) == compact(example("user_record"))
