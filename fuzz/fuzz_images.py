"""Coverage-guided fuzzing of the photo pipeline's entry, `render_photo` (atheris).

Any input must become a rendered photo or an InvalidImage (ImageTooLarge included); any
other exception is a crash, which atheris reports with the input that caused it.

    python fuzz/fuzz_images.py -max_total_time=60 /tmp/new-corpus fuzz/corpus/images
"""

from __future__ import annotations

import contextlib
import struct
import sys

import atheris

with atheris.instrument_imports(include=["PIL", "userphoto"]):
    from PIL import Image

    from userphoto.core.errors import InvalidImage
    from userphoto.core.model import CropBox
    from userphoto.core.photos.pipeline import PipelineLimits, render_photo

    # Pillow loads its format plugins on first use: load them here, to instrument them.
    Image.init()

# Small limits keep each run fast; the checks that enforce them are what is fuzzed.
LIMITS = PipelineLimits(max_bytes=256 * 1024, max_pixels=4_000_000, original_max_side=256)


def crop_of(data: bytes) -> CropBox | None:
    """A crop box from the last 9 bytes when the very last is odd.

    Decoders ignore bytes after the image's end, so the seeds stay valid photos, and the
    fuzzer still steers the crop by changing the tail.
    """
    if len(data) < 9 or not data[-1] & 1:
        return None
    return CropBox(*struct.unpack(">4H", data[-9:-1]))


def test_one_input(data: bytes) -> None:
    with contextlib.suppress(InvalidImage):
        render_photo(data, LIMITS, crop_of(data))


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
