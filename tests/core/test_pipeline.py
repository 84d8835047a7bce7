"""The photo pipeline: formats, limits, orientation, metadata, colour, crop and renditions."""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import random
import time

import pytest
from PIL import Image, ImageCms

from tests.images import (
    BLUE,
    GREEN,
    QUADRANT_COLOURS,
    RED,
    WHITE,
    adobe_rgb_icc,
    adobe_to_srgb,
    close,
    decode,
    encode,
    gif_frame_bomb,
    jpeg_header_bomb,
    oriented_jpeg,
    png_header_bomb,
    quadrant_samples,
    quadrants,
    solid,
    webp_canvas_bomb,
)
from userphoto.core.errors import ImageTooLarge, InvalidImage
from userphoto.core.model import VARIANT_SIZES, CropBox
from userphoto.core.photos import PipelineLimits, RenderedPhoto, render_photo
from userphoto.core.photos.colour import to_srgb
from userphoto.core.photos.pipeline import content_hash


def variants(rendered: RenderedPhoto) -> dict[int, Image.Image]:
    return {r.size: decode(r.data) for r in rendered.renditions if r.size is not None}


def original(rendered: RenderedPhoto) -> Image.Image:
    (found,) = [r for r in rendered.renditions if r.size is None]
    return decode(found.data)


DEFAULT_LIMITS = PipelineLimits()


def refusal(data: bytes, limits: PipelineLimits = DEFAULT_LIMITS) -> str:
    with pytest.raises(InvalidImage) as caught:
        render_photo(data, limits)
    return caught.value.reason


# --- renditions and sizes ---------------------------------------------------------------


def test_renders_the_original_and_every_variant_size() -> None:
    rendered = render_photo(encode(quadrants(2000, 1500), "JPEG"))
    sizes = [r.size for r in rendered.renditions]
    assert sorted(s for s in sizes if s is not None) == sorted(VARIANT_SIZES)
    assert sizes.count(None) == 1
    for rendition in rendered.renditions:
        image = decode(rendition.data)
        assert (image.width, image.height) == (rendition.width, rendition.height)
        assert image.format == "JPEG" and rendition.media_type == "image/jpeg"
    assert original(rendered).size == (1280, 960)
    for size, image in variants(rendered).items():
        assert image.size == (size, size)


def test_a_small_photo_is_never_upscaled() -> None:
    rendered = render_photo(encode(solid((100, 80), BLUE), "PNG"))
    assert original(rendered).size == (100, 80)
    for size, image in variants(rendered).items():
        assert image.size == (min(size, 80), min(size, 80))


def test_the_original_respects_a_configured_longest_side() -> None:
    rendered = render_photo(
        encode(solid((900, 1200), RED), "JPEG"), PipelineLimits(original_max_side=400)
    )
    assert original(rendered).size == (300, 400)


def test_a_big_jpeg_decoded_at_reduced_scale_keeps_exact_sizes_and_colours() -> None:
    rendered = render_photo(encode(quadrants(4000, 3000), "JPEG", quality=95))
    assert original(rendered).size == (1280, 960)
    assert all(
        close(a, e)
        for a, e in zip(quadrant_samples(original(rendered)), QUADRANT_COLOURS, strict=True)
    )
    assert variants(rendered)[648].size == (648, 648)


# --- orientation ------------------------------------------------------------------------


@pytest.mark.parametrize("orientation", range(1, 9))
def test_exif_orientation_is_applied(orientation: int) -> None:
    rendered = render_photo(oriented_jpeg(quadrants(300, 200), orientation))
    upright = original(rendered)
    assert upright.size == (300, 200)
    assert all(
        close(a, e) for a, e in zip(quadrant_samples(upright), QUADRANT_COLOURS, strict=True)
    )


def test_a_variant_of_a_rotated_photo_is_upright() -> None:
    rendered = render_photo(oriented_jpeg(quadrants(400, 400), 6))
    square = variants(rendered)[200]
    assert all(close(a, e) for a, e in zip(quadrant_samples(square), QUADRANT_COLOURS, strict=True))


def test_a_crop_box_is_in_the_coordinates_of_the_upright_photo() -> None:
    # Upright 400x200: the crop is the right half, whose top is green and bottom white.
    rendered = render_photo(oriented_jpeg(quadrants(400, 200), 8), crop=CropBox(200, 0, 200, 200))
    top, bottom = (variants(rendered)[120].getpixel(p) for p in ((60, 20), (60, 100)))
    assert close(top, GREEN) and close(bottom, WHITE)


# --- metadata ---------------------------------------------------------------------------


METADATA_MARKERS = (
    b"Exif",
    b"ICC_PROFILE",
    b"iCCP",
    b"eXIf",
    b"tEXt",
    b"iTXt",
    b"zTXt",
    b"http://ns.adobe.com/xap/1.0/",
    b"secret-comment",
    b"GPS",
)


def assert_no_metadata(rendered: RenderedPhoto) -> None:
    for rendition in rendered.renditions:
        image = decode(rendition.data)
        assert not {"exif", "icc_profile", "comment", "xmp", "XML:com.adobe.xmp"} & set(image.info)
        assert len(image.getexif()) == 0
        for marker in METADATA_MARKERS:
            assert marker not in rendition.data, (rendition.size, marker)


def exif_with_gps() -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"
    exif[0x0112] = 1
    exif.get_ifd(0x8825)[2] = (52.0, 31.0, 12.0)  # GPSLatitude
    return exif


def test_jpeg_metadata_is_dropped_from_every_rendition() -> None:
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    data = encode(
        quadrants(800, 600),
        "JPEG",
        exif=exif_with_gps(),
        icc_profile=srgb,
        comment=b"secret-comment",
        xmp=b"<x:xmpmeta>http://ns.adobe.com/xap/1.0/</x>",
    )
    assert b"Exif" in data and b"ICC_PROFILE" in data and b"secret-comment" in data
    assert_no_metadata(render_photo(data))


def test_png_metadata_is_dropped_from_every_rendition() -> None:
    from PIL.PngImagePlugin import PngInfo

    text = PngInfo()
    text.add_text("Comment", "secret-comment")
    text.add_itxt("XML:com.adobe.xmp", "http://ns.adobe.com/xap/1.0/")
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    data = encode(
        solid((300, 300), (10, 20, 30, 128), "RGBA"),
        "PNG",
        pnginfo=text,
        icc_profile=srgb,
        exif=exif_with_gps(),
    )
    assert_no_metadata(render_photo(data))


@pytest.mark.parametrize("fmt", ["JPEG", "PNG"])
def test_a_non_srgb_profile_is_converted_to_srgb(fmt: str) -> None:
    colour = (200, 50, 50)
    data = encode(solid((64, 64), colour), fmt, icc_profile=adobe_rgb_icc(), quality=100)
    rendered = render_photo(data)
    expected = adobe_to_srgb(colour)
    assert expected != colour
    assert close(original(rendered).getpixel((32, 32)), expected, tolerance=4)
    assert close(variants(rendered)[48].getpixel((24, 24)), expected, tolerance=4)
    assert_no_metadata(rendered)


def test_a_broken_profile_is_ignored() -> None:
    data = encode(solid((64, 64), (90, 90, 90)), "JPEG", icc_profile=b"not a profile" * 20)
    assert close(original(render_photo(data)).getpixel((5, 5)), (90, 90, 90), tolerance=3)


# --- transparency -----------------------------------------------------------------------


def half_transparent(size: int = 200) -> Image.Image:
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    image.paste((255, 0, 0, 255), (0, 0, size // 2, size))
    return image


def test_transparency_keeps_a_png_original_and_flattens_variants_on_white() -> None:
    rendered = render_photo(encode(half_transparent(), "PNG"))
    kept = original(rendered)
    assert rendered.renditions[0].media_type == "image/png"
    assert kept.mode == "RGBA" and kept.getpixel((150, 100))[3] == 0
    for image in variants(rendered).values():
        assert image.format == "JPEG" and image.mode == "RGB"
        w = image.width
        assert close(image.getpixel((w // 4, w // 2)), RED)
        assert close(image.getpixel((3 * w // 4, w // 2)), WHITE)


def test_an_alpha_channel_that_is_all_opaque_gives_a_jpeg_original() -> None:
    rendered = render_photo(encode(solid((50, 50), (0, 0, 255, 255), "RGBA"), "PNG"))
    assert rendered.renditions[0].media_type == "image/jpeg"


def test_a_palette_image_with_a_transparent_index_keeps_its_transparency() -> None:
    palette = half_transparent(64).convert("P")  # Pillow keeps the transparent index
    rendered = render_photo(encode(palette, "PNG", transparency=palette.info.get("transparency")))
    assert rendered.renditions[0].media_type == "image/png"


def test_a_big_png_is_reduced_band_by_band_into_one_transparent_picture() -> None:
    # 3456x2592 may be 4x smaller: halved a band of rows at a time before Lanczos does the
    # rest. The top bands are opaque, the lowest hold the transparent quadrant.
    image = quadrants(3456, 2592).convert("RGBA")
    image.paste((0, 0, 0, 0), (1728, 1296, 3456, 2592))
    rendered = render_photo(encode(image, "PNG", compress_level=1))
    kept = original(rendered)
    assert kept.size == (1280, 960) and kept.mode == "RGBA"
    samples = quadrant_samples(kept)[:3]
    assert all(close(a, e) for a, e in zip(samples, QUADRANT_COLOURS[:3], strict=True))
    assert kept.getpixel((320, 240))[3] == 255 and kept.getpixel((960, 720))[3] == 0
    square = variants(rendered)[648]
    assert square.size == (648, 648) and close(square.getpixel((486, 486)), WHITE)


def test_reducing_band_by_band_equals_reducing_the_whole_picture() -> None:
    image = quadrants(1001, 2001).convert("RGBA")  # 2001 rows: two bands and a short one
    image.paste((0, 0, 0, 0), (500, 1000, 1001, 2001))
    banded = to_srgb(image, 4)
    whole = to_srgb(image).reduce(4)
    assert banded.mode == whole.mode == "RGBA" and banded.size == whole.size == (251, 501)
    assert banded.tobytes() == whole.tobytes()


# --- crop -------------------------------------------------------------------------------


def target_photo() -> bytes:
    """1000x800 blue with a red square at (100, 100)-(300, 300)."""
    image = solid((1000, 800), BLUE)
    image.paste(RED, (100, 100, 300, 300))
    return encode(image, "PNG")


def test_the_default_crop_is_the_centre_square() -> None:
    image = quadrants(1200, 600)
    image.paste(GREEN, (0, 0, 300, 600))  # outside the centre square
    square = variants(render_photo(encode(image, "PNG")))[648]
    assert square.size == (600, 600)
    assert close(square.getpixel((10, 10)), RED) and close(square.getpixel((590, 590)), WHITE)


def test_an_explicit_crop_box_is_honoured_without_upscaling() -> None:
    rendered = render_photo(target_photo(), crop=CropBox(100, 100, 200, 200))
    renders = variants(rendered)
    assert renders[648].size == (200, 200) and renders[96].size == (96, 96)
    for image in renders.values():
        assert close(image.getpixel((2, 2)), RED)
        assert close(image.getpixel((image.width - 3, image.height - 3)), RED)
    assert original(rendered).size == (1000, 800)  # the original is never cropped


def test_a_crop_box_is_clamped_to_the_image() -> None:
    renders = variants(render_photo(target_photo(), crop=CropBox(-50, -50, 350, 350)))
    assert renders[648].size == (300, 300)
    assert close(renders[648].getpixel((295, 295)), RED)
    assert close(renders[648].getpixel((50, 50)), BLUE)


def test_a_non_square_box_is_centre_cropped_within_it() -> None:
    # 400x200 box: the square is x 200..400 of it, y 100..300, i.e. starts at the red edge.
    renders = variants(render_photo(target_photo(), crop=CropBox(0, 100, 600, 200)))
    square = renders[648]
    assert square.size == (200, 200)
    assert close(square.getpixel((50, 100)), RED) and close(square.getpixel((150, 100)), BLUE)


def test_a_zero_box_means_the_whole_image() -> None:
    data = target_photo()
    assert render_photo(data, crop=CropBox(5, 5, 0, 0)).renditions == render_photo(data).renditions


def test_a_box_outside_the_image_is_refused() -> None:
    with pytest.raises(InvalidImage) as caught:
        render_photo(target_photo(), crop=CropBox(2000, 2000, 100, 100))
    assert caught.value.reason == "crop-outside-image"


def test_a_small_crop_of_a_big_jpeg_uses_full_resolution_pixels() -> None:
    image = solid((4000, 3000), BLUE)
    for x in range(1000, 1400, 20):  # fine stripes a reduced-scale decode would blur grey
        image.paste(WHITE, (x, 1000, x + 10, 1400))
    rendered = render_photo(encode(image, "JPEG", quality=95), crop=CropBox(1000, 1000, 400, 400))
    square = variants(rendered)[648]
    assert square.size == (400, 400)
    assert close(square.getpixel((5, 200)), WHITE, 30)
    assert close(square.getpixel((15, 200)), BLUE, 30)


# --- formats ----------------------------------------------------------------------------


def test_gif_uses_the_first_frame() -> None:
    frames = [solid((120, 120), RED), solid((120, 120), GREEN)]
    data = encode(frames[0], "GIF", save_all=True, append_images=frames[1:])
    assert close(original(render_photo(data)).getpixel((60, 60)), RED)


def test_a_long_animation_costs_only_its_first_frame() -> None:
    frames = [solid((256, 256), (i % 256, 0, 0)) for i in range(400)]
    data = encode(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=10)
    start = time.perf_counter()
    render_photo(data)
    assert time.perf_counter() - start < 2


@pytest.mark.parametrize("options", [{"lossless": False}, {"lossless": True}])
def test_webp(options: dict[str, bool]) -> None:
    rendered = render_photo(encode(quadrants(300, 200), "WEBP", quality=95, **options))
    assert original(rendered).size == (300, 200)
    assert close(quadrant_samples(original(rendered))[0], RED, 20)


def test_webp_with_alpha_keeps_transparency() -> None:
    rendered = render_photo(encode(half_transparent(), "WEBP", lossless=True))
    assert rendered.renditions[0].media_type == "image/png"


def test_a_cmyk_jpeg_becomes_rgb() -> None:
    data = encode(solid((64, 64), (0, 255, 255, 0), "CMYK"), "JPEG")
    assert close(original(render_photo(data)).getpixel((32, 32)), RED, 20)


def test_a_16_bit_grey_png_keeps_its_brightness() -> None:
    grey = Image.new("I;16", (40, 40), 32768)
    assert close(original(render_photo(encode(grey, "PNG"))).getpixel((20, 20)), (128,) * 3, 2)


def test_a_greyscale_jpeg_renders_in_rgb() -> None:
    rendered = render_photo(encode(solid((100, 100), 77, "L"), "JPEG"))
    assert original(rendered).mode == "RGB"


# --- refusals ---------------------------------------------------------------------------


def test_empty_bytes_are_refused() -> None:
    assert refusal(b"") == "empty"


@pytest.mark.parametrize("data", [os.urandom(4096), b"BM" + bytes(100), b"%PDF-1.4\n" * 50])
def test_unknown_formats_are_refused(data: bytes) -> None:
    assert refusal(data) == "unknown-format"


def test_a_tiff_is_refused_even_though_pillow_reads_it() -> None:
    assert refusal(encode(solid((10, 10), RED), "TIFF")) == "unknown-format"


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "GIF", "WEBP"])
def test_truncated_images_are_refused(fmt: str) -> None:
    data = encode(quadrants(300, 300).effect_spread(5), fmt)
    assert refusal(data[: len(data) // 2]) == "unreadable"


def test_too_many_bytes_are_refused_before_decoding() -> None:
    data = encode(solid((100, 100), RED), "PNG")
    with pytest.raises(ImageTooLarge) as caught:
        render_photo(data, PipelineLimits(max_bytes=len(data) - 1))
    assert caught.value.reason == "too-many-bytes"


@pytest.mark.parametrize(
    "bomb",
    [
        png_header_bomb(20000, 20000),
        jpeg_header_bomb(20000, 20000),
        webp_canvas_bomb(16000, 16000),
        gif_frame_bomb(65000, 65000),
    ],
    ids=["png", "jpeg", "webp", "gif"],
)
def test_header_bombs_are_refused_without_decoding(
    bomb: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not bomb.startswith(b"GIF"):  # a GIF's frame size is only known once Pillow reads it
        monkeypatch.setattr(Image, "open", lambda *a, **k: pytest.fail("Pillow was called"))
    start = time.perf_counter()
    with pytest.raises(ImageTooLarge) as caught:
        render_photo(bomb)
    assert caught.value.reason == "too-many-pixels"
    assert time.perf_counter() - start < 0.5


def test_a_gif_frame_larger_than_its_screen_is_checked_against_the_limit() -> None:
    with pytest.raises(ImageTooLarge) as caught:
        render_photo(gif_frame_bomb(8000, 8000))  # 64 MP: below Pillow's own bomb limit
    assert caught.value.reason == "too-many-pixels"


def test_the_pixel_limit_is_configurable() -> None:
    data = encode(solid((100, 100), RED), "PNG")
    with pytest.raises(ImageTooLarge):
        render_photo(data, PipelineLimits(max_pixels=9999))
    render_photo(data, PipelineLimits(max_pixels=10000))


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "GIF", "WEBP"])
def test_damaged_files_never_raise_anything_but_invalid_image(fmt: str) -> None:
    data = encode(quadrants(96, 64).effect_spread(3), fmt)
    rng = random.Random(fmt)
    for _ in range(150):
        damaged = bytearray(data)
        for _ in range(rng.randint(1, 8)):
            damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        cut = rng.choice([len(damaged), rng.randrange(1, len(damaged))])
        with contextlib.suppress(InvalidImage):
            render_photo(bytes(damaged[:cut]))


# --- hash and pickling ------------------------------------------------------------------


def test_the_content_hash_is_the_file_hash_without_a_crop() -> None:
    data = encode(solid((50, 50), RED), "PNG")
    assert render_photo(data).content_hash == hashlib.sha256(data).hexdigest()
    assert content_hash(data) == hashlib.sha256(data).hexdigest()


def test_the_content_hash_includes_the_crop_box() -> None:
    data = target_photo()
    box = CropBox(100, 100, 200, 200)
    cropped = render_photo(data, crop=box).content_hash
    assert cropped == render_photo(data, crop=box).content_hash
    assert cropped not in {content_hash(data), content_hash(data, CropBox(100, 100, 200, 201))}


def test_results_and_limits_survive_pickling() -> None:
    rendered = render_photo(encode(solid((60, 40), GREEN), "JPEG"))
    assert pickle.loads(pickle.dumps(rendered)) == rendered
    limits = PipelineLimits(max_pixels=5)
    assert pickle.loads(pickle.dumps(limits)) == limits
