"""onOffice user field names (protocol notes §7.2) and the core names they stand for.

Case matters on the wire ("Pay attention to the upper and lower case"), so lookups are
exact. The password has no wire name: it can be neither read nor filtered.
"""

from __future__ import annotations

WIRE_TO_CORE: dict[str, str] = {
    "Nr": "number",
    "Name": "username",
    "Vorname": "first_name",
    "Nachname": "last_name",
    "email": "email",
    "Emailname": "email_name",
    "Kuerzel": "initials",
    "Anrede": "salutation",
    "Titel": "title",
    "Firma": "company",
    "PLZ": "postal_code",
    "Ort": "city",
    "Strasse": "street",
    "Hausnummer": "house_number",
    "Land": "country",
    "province": "province",
    "Mobil": "mobile",
    "Telefon": "phone",
    "Fax": "fax",
    "Url": "url",
    "UstID": "vat_id",
    "taxNumber": "tax_number",
    "Gerichtsstand": "jurisdiction",
    "imprintFurthermore": "imprint_more",
    "Firmazusatz1": "company_suffix",
    "PositionUnternehmen": "position",
    "Namezusatz1": "name_suffix_1",
    "Namezusatz2": "name_suffix_2",
    "Bank": "bank",
    "IBAN": "iban",
    "BIC": "bic",
    "Finanzamt": "tax_office",
    "Hinweis": "note",
    "Sonstiges": "other",
    "anbieter": "provider",
    "Prefix": "prefix",
    "usesAccount:account.id": "account_id",
    "Sprache": "language",
    "meetingUrl": "meeting_url",
    "online": "status",
    "userCreationDate": "created_on",
    "adrId:adressen.ID": "address_id",
}

CORE_TO_WIRE: dict[str, str] = {core: wire for wire, core in WIRE_TO_CORE.items()}
