"""Coverage-guided fuzzing of the EWS SOAP parser and the fields it reads (atheris).

Any body must become an operation or an EwsFault; any other exception is a crash.

    python fuzz/fuzz_soap.py -max_total_time=60 /tmp/new-corpus fuzz/corpus/soap
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports(include=["defusedxml", "xml", "userphoto"]):
    from userphoto.dialects.ews.faults import EwsFault
    from userphoto.dialects.ews.parsing import parse_request
    from userphoto.dialects.ews.sizes import side_of


def test_one_input(data: bytes) -> None:
    try:
        request = parse_request(data)
    except EwsFault:
        return
    # What the operations read next: the fields and the size code.
    request.text("Email")
    request.text("Content")
    side_of(request.text("SizeRequested") or "")


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
