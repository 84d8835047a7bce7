"""A believable demo directory: people, address records, drawn portraits and API credentials.

Everything is derived from the user number, so seeding twice changes nothing: users and
addresses are upserted by number, photos are only drawn for owners without one, and the
demo credentials are kept in DATA_DIR/demo-credentials.json and reused while they work.
"""

from __future__ import annotations

import hmac
import io
import os
import random
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
from PIL import Image, ImageDraw, ImageFont

from userphoto.core.model import OwnerKind, PhotoOwner, Right
from userphoto.core.secrets import random_string, verify_password
from userphoto.core.services import Services

CREDENTIALS_FILE = "demo-credentials.json"
REQUEST_SCRIPT = "demo-request.py"
ADMIN_USERNAME = "admin"
READER_NAME = "demo-reader"
RESTRICTED_NAME = "demo-no-rights"
ADDRESS_ID_BASE = 10_000
MESSENGER_UID_BASE = 167_000
ONOFFICE_READ = "urn:onoffice-de-ns:smart:2.5:smartml:action:read"

FEMALE = (
    "Anna",
    "Lena",
    "Sophie",
    "Marie",
    "Leonie",
    "Aylin",
    "Olga",
    "Chiara",
    "Ingrid",
    "Fatma",
    "Emma",
    "Zofia",
    "Hanna",
    "Mei",
    "Clara",
    "Nadia",
    "Greta",
    "Lucía",
    "Ines",
)
MALE = (
    "Lukas",
    "Jonas",
    "Felix",
    "Mehmet",
    "Paul",
    "Tobias",
    "Jürgen",
    "Kwame",
    "Matteo",
    "Henrik",
    "Stefan",
    "Ömer",
    "Niklas",
    "Rafael",
    "Bernd",
    "Piotr",
    "Dario",
    "Yusuf",
    "Karl",
    "Ole",
)
LAST = (
    "Müller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Weber",
    "Meyer",
    "Wagner",
    "Becker",
    "Schulz",
    "Hoffmann",
    "Koch",
    "Richter",
    "Yılmaz",
    "Kowalski",
    "Rossi",
    "Nguyen",
    "Hansen",
    "García",
    "Novak",
    "Bauer",
    "Wolf",
    "Schröder",
    "Neumann",
    "Braun",
    "Krüger",
    "Hartmann",
    "Lange",
    "Demir",
    "Schwarz",
    "Zimmermann",
    "Popescu",
    "Jansen",
    "Okafor",
    "Lehmann",
    "Köhler",
    "Petrović",
    "Kaiser",
    "Fuchs",
    "Vogel",
    "Sommer",
    "Berger",
)
OFFICES = (
    ("10117", "Berlin", "Friedrichstraße", "Berlin", "Deutschland", "+49 30 2061"),
    ("80331", "München", "Sendlinger Straße", "Bayern", "Deutschland", "+49 89 2319"),
    ("20095", "Hamburg", "Mönckebergstraße", "Hamburg", "Deutschland", "+49 40 3250"),
    ("50667", "Köln", "Hohe Straße", "Nordrhein-Westfalen", "Deutschland", "+49 221 9257"),
    ("1010", "Wien", "Kärntner Straße", "Wien", "Österreich", "+43 1 5122"),
    ("8001", "Zürich", "Bahnhofstrasse", "Zürich", "Schweiz", "+41 44 2110"),
)
POSITIONS = (
    "Immobilienberatung",
    "Teamleitung Vertrieb",
    "Backoffice",
    "Vermietung",
    "Gutachter",
    "Marketing",
    "Geschäftsführung",
    "Objektbetreuung",
)
BACKGROUNDS = (
    "#5b8def",
    "#47b39d",
    "#f4a259",
    "#e06c75",
    "#9b7fd1",
    "#4fb0c6",
    "#d3a13b",
    "#6c8f6b",
    "#c77dba",
    "#7a8ca3",
)
SKIN = ("#f1c7a5", "#e0ac84", "#c68863", "#8d5a3b", "#5e3a24", "#f6d5bd")
HAIR = ("#2b1d14", "#5a3a22", "#a0692e", "#d9b36c", "#7c7c7c", "#161616", "#8e2f1c")
COMPANY = "Lindenhof Immobilien"
MAX_USERS = len(FEMALE + MALE) * len(LAST)


@dataclass(frozen=True, slots=True)
class ApiCredential:
    id: int
    token: str
    secret: str


@dataclass(frozen=True, slots=True)
class DemoCredentials:
    admin_password: str
    reader: ApiCredential
    restricted: ApiCredential


@dataclass(frozen=True, slots=True)
class DemoReport:
    users: int
    user_photos_drawn: int
    address_photos_drawn: int
    credentials: DemoCredentials
    request_script: Path


def seed_demo(services: Services, data_dir: Path, user_count: int, public_url: str) -> DemoReport:
    """Create or refresh the demo directory; users are numbered 1..user_count, 1 is the admin."""
    if not 1 <= user_count <= MAX_USERS:
        raise ValueError(f"the demo has between 1 and {MAX_USERS} users")
    saved = _load_credentials(data_dir / CREDENTIALS_FILE)
    admin_password = saved.get("admin_password") or random_string(16)
    user_photos = address_photos = 0
    for number in range(1, user_count + 1):
        person = demo_person(number)
        services.directory.save_address(_address_values(person))
        _save_user(services, person, admin_password if number == 1 else None)
        user_photos += _draw_missing(services, PhotoOwner.user(number), person, _has_own(number))
        address_owner = PhotoOwner.address(person["address_id"])
        address_photos += _draw_missing(services, address_owner, person, _has_address(number))
    credentials = DemoCredentials(
        admin_password,
        _api_credential(services, saved.get(READER_NAME), READER_NAME, 1, {Right.READ_USER_DATA}),
        _api_credential(
            services, saved.get(RESTRICTED_NAME), RESTRICTED_NAME, min(2, user_count), set()
        ),
    )
    _write_private(
        data_dir / CREDENTIALS_FILE,
        orjson.dumps(_credentials_json(credentials), option=orjson.OPT_INDENT_2),
    )
    script = data_dir / REQUEST_SCRIPT
    _write_private(script, request_script(credentials.reader, public_url).encode())
    return DemoReport(user_count, user_photos, address_photos, credentials, script)


def demo_person(number: int) -> dict[str, Any]:
    """Core user values for demo user `number`; names are unique up to MAX_USERS."""
    firsts = FEMALE + MALE
    # Stepping through both lists with coprime lengths gives each number its own name pair.
    first = firsts[(number - 1) % len(firsts)]
    last = LAST[(number - 1) % len(LAST)]
    rng = _seeded(f"userphoto-demo-{number}")
    postal_code, city, street, province, country, phone_base = OFFICES[number % len(OFFICES)]
    login = f"{_ascii(first)}.{_ascii(last)}".lower()
    female = first in FEMALE
    return {
        "number": number,
        "username": ADMIN_USERNAME if number == 1 else login,
        "email": f"{login}@lindenhof-immobilien.example",
        "email_name": f"{first} {last}",
        "first_name": first,
        "last_name": last,
        "initials": (first[0] + last[:2]).upper(),
        "salutation": "Frau" if female else "Herr",
        "title": "Dr." if rng.random() < 0.1 else "",
        "company": COMPANY,
        "postal_code": postal_code,
        "city": city,
        "street": street,
        "house_number": str(rng.randint(1, 120)),
        "country": country,
        "province": province,
        "mobile": f"+49 1{rng.choice('567')}{rng.randint(0, 9)} {rng.randint(1000000, 9999999)}",
        "phone": f"{phone_base} {100 + number}",
        "fax": f"{phone_base} 99",
        "url": "https://lindenhof-immobilien.example",
        "vat_id": "DE298765431",
        "tax_number": "37/815/42001",
        "jurisdiction": "Amtsgericht Berlin-Charlottenburg, HRB 123456",
        "imprint_more": "Geschäftsführung: Clara Lindenhof",
        "company_suffix": "GmbH",
        "position": rng.choice(POSITIONS),
        "name_suffix_1": rng.choice(("", "", "", "M.Sc.", "Dipl.-Ing.")),
        "name_suffix_2": rng.choice(("", "", "IHK-zertifiziert")),
        "bank": "Berliner Sparkasse",
        "iban": "DE02100500000054540402",
        # "XXX" is the BIC branch code of a head office, not a to-do marker.
        "bic": "BELADEBEXXX",
        "tax_office": f"Finanzamt {city}",
        "note": rng.choice(("", "Teilzeit", "Ansprechpartner für Gewerbeobjekte")),
        "other": rng.choice(("", "Spricht Englisch und Spanisch", "Ersthelfer")),
        "provider": "userphoto demo",
        "prefix": "",
        "account_id": 1,
        "language": rng.choice(("Deutsch", "Deutsch", "English")),
        "meeting_url": f"https://meet.lindenhof-immobilien.example/{login}",
        "status": "active",
        "created_on": f"20{rng.randint(15, 24)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        "address_id": ADDRESS_ID_BASE + number,
        "messenger_uid": MESSENGER_UID_BASE + number * 37,
        "is_admin": number == 1,
    }


def request_script(reader: ApiCredential, public_url: str) -> str:
    """A standalone Python script that reads every photo link through the onOffice dialect."""
    return f'''import base64, hashlib, hmac, json, time, urllib.request

TOKEN = "{reader.token}"
SECRET = "{reader.secret}"
URL = "{public_url.rstrip("/")}/api/stable/api.php"
ACTION = "{ONOFFICE_READ}"

timestamp = int(time.time())
# onOffice HMAC v2: base64(HMAC-SHA256(secret, timestamp + token + resourcetype + actionid))
message = f"{{timestamp}}{{TOKEN}}userphoto{{ACTION}}".encode()
signature = base64.b64encode(hmac.new(SECRET.encode(), message, hashlib.sha256).digest())
action = {{"actionid": ACTION, "resourceid": "", "identifier": "", "resourcetype": "userphoto",
          "timestamp": timestamp, "hmac": signature.decode(), "hmac_version": 2,
          "parameters": {{"photosAsLinks": True}}}}
body = json.dumps({{"token": TOKEN, "request": {{"actions": [action]}}}}).encode()
request = urllib.request.Request(URL, data=body, headers={{"Content-Type": "application/json"}})
with urllib.request.urlopen(request) as response:
    print(json.dumps(json.load(response), indent=2))
'''


def draw_portrait(seed: str, initials: str, style: str) -> bytes:
    """A 512-pixel JPEG: a head-and-shoulders silhouette or an initials avatar."""
    rng = _seeded(seed)
    image = Image.new("RGB", (512, 512), rng.choice(BACKGROUNDS))
    draw = ImageDraw.Draw(image)
    if style == "silhouette":
        _draw_silhouette(draw, rng)
    else:
        font = ImageFont.load_default(size=200)
        draw.text((256, 256), initials, fill="white", font=font, anchor="mm")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


def _draw_silhouette(draw: ImageDraw.ImageDraw, rng: random.Random) -> None:
    skin, hair = rng.choice(SKIN), rng.choice(HAIR)
    shirt = "#" + "".join(f"{rng.randint(30, 200):02x}" for _ in range(3))
    head = rng.randint(95, 115)
    cx, cy = 256 + rng.randint(-12, 12), 215
    draw.ellipse((cx - 190, 380, cx + 190, 700), fill=shirt)
    draw.rectangle((cx - 40, cy + head - 30, cx + 40, 400), fill=skin)
    draw.ellipse((cx - head - 8, cy - head - 14, cx + head + 8, cy + head - 30), fill=hair)
    draw.ellipse((cx - head, cy - head, cx + head, cy + head + 10), fill=skin)
    if rng.random() < 0.5:
        draw.chord(
            (cx - head - 6, cy - head - 16, cx + head + 6, cy + head - 10), 195, 345, fill=hair
        )


def _seeded(seed: str) -> random.Random:
    # Demo data must come out the same on every run, so a seeded generator is the point here.
    return random.Random(seed)  # noqa: S311


def _has_own(number: int) -> bool:
    return number % 10 not in (3, 7)


def _has_address(number: int) -> bool:
    # Users ending in 3 show the fallback to the linked address's photo; those in 7 have none.
    return number % 10 == 3


def _draw_missing(
    services: Services, owner: PhotoOwner, person: dict[str, Any], wanted: bool
) -> int:
    if not wanted or services.photos.current(owner) is not None:
        return 0
    style = "silhouette" if owner.kind is OwnerKind.USER and owner.id % 3 else "initials"
    initials = person["first_name"][0] + person["last_name"][0]
    services.photos.set_photo(owner, draw_portrait(f"{owner.kind}-{owner.id}", initials, style))
    return 1


def _address_values(person: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": person["address_id"],
        "first_name": person["first_name"],
        "last_name": person["last_name"],
        "company": person["company"],
        "email": person["email"],
    }


def _save_user(services: Services, person: dict[str, Any], password: str | None) -> None:
    user = services.directory.save_user(person)
    if password is not None and not verify_password(password, user.password_hash):
        services.directory.save_user({"number": user.number}, password=password)


def _api_credential(
    services: Services,
    saved: dict[str, Any] | None,
    name: str,
    user_number: int,
    rights: set[Right],
) -> ApiCredential:
    """The saved demo API user while its token still works; else a fresh one replacing it."""
    if saved and _still_valid(services, saved):
        return ApiCredential(saved["id"], saved["token"], saved["secret"])
    for stale in services.api_users.list():
        if stale.name == name:
            services.api_users.revoke(stale.id)
    created = services.api_users.create(name, user_number, rights)
    return ApiCredential(created.api_user.id, created.token, created.secret)


def _still_valid(services: Services, saved: dict[str, Any]) -> bool:
    try:
        api_user = services.api_users.by_token(str(saved.get("token", "")))
    except ValueError:  # sealed with another server key
        return False
    saved_secret = str(saved.get("secret", "")).encode()
    return api_user is not None and hmac.compare_digest(api_user.secret.encode(), saved_secret)


def _credentials_json(credentials: DemoCredentials) -> dict[str, Any]:
    def api(c: ApiCredential) -> dict[str, Any]:
        return {"id": c.id, "token": c.token, "secret": c.secret}

    return {
        "admin_username": ADMIN_USERNAME,
        "admin_password": credentials.admin_password,
        READER_NAME: api(credentials.reader),
        RESTRICTED_NAME: api(credentials.restricted),
    }


def _load_credentials(path: Path) -> dict[str, Any]:
    try:
        loaded = orjson.loads(path.read_bytes())
    except (FileNotFoundError, orjson.JSONDecodeError):
        return {}
    return loaded if isinstance(loaded, dict) else {}


def _write_private(path: Path, data: bytes) -> None:
    """Write `path` readable by the owner only, replacing it atomically."""
    temporary = path.with_name(path.name + ".tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    # O_CREAT's mode does not apply to a leftover file, so set it explicitly.
    temporary.chmod(0o600)
    temporary.replace(path)


def _ascii(name: str) -> str:
    folded = name.replace("ß", "ss").replace("ı", "i")
    for umlaut, spelled in (
        ("ä", "ae"),
        ("ö", "oe"),
        ("ü", "ue"),
        ("Ä", "Ae"),
        ("Ö", "Oe"),
        ("Ü", "Ue"),
    ):
        folded = folded.replace(umlaut, spelled)
    decomposed = unicodedata.normalize("NFKD", folded)
    return "".join(c for c in decomposed if c.isascii())
