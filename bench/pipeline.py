"""Photo pipeline: our renditions against pyvips, import on one core and on all, 50 MP memory.

1. Per photo, `render_photo` (a camera-like JPEG to the normalised original and every
   variant) against a reference script using pyvips `thumbnail` for the same sizes from the
   same file (and, stricter, pyvips decoding once and thumbnailing each size from that), in
   alternating rounds on the same photos, in CPU seconds per photo. Both run single-threaded,
   as one import worker does, with pyvips' operation cache off so no round reuses another's.
2. Import throughput through `import_photos`, exactly as `userphoto photos import` runs it,
   with 1 worker and with one per core, alternating, into a fresh SQLite data dir each time,
   each in its own process so that its peak RSS is its own.
3. The memory a 50-megapixel JPEG, and a 50 MP RGBA PNG (decoded only at full size), add
   while they go through the pipeline, each in a fresh process.

Medians of the rounds, ratios with their spread (min-max of the per-round ratios):

    .venv/bin/python bench/pipeline.py [--quick] [--photos 200] [--rounds 3] [--json PATH]
"""

from __future__ import annotations

import argparse
import math
import multiprocessing
import os
import random
import resource
import statistics
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import TypeVar

import pyvips
from PIL import Image, ImageChops, ImageDraw, ImageFilter
from rich.console import Console
from rich.table import Table

from memory import FIFTY_MEGAPIXELS, large_jpeg
from report import Row, limit_row, print_table, write_json
from servers import peak_rss_mb, reset_peak_rss, rss_mb
from userphoto.bootstrap import open_services
from userphoto.config import Settings
from userphoto.core.importer import import_photos
from userphoto.core.model import VARIANT_SIZES
from userphoto.core.photos import PipelineLimits, render_photo

PIPELINE_TARGET = 1.2  # ours / pyvips, per photo
SCALING_TARGET = 1.8  # photos/s on all cores / on one
MEMORY_TARGET_MB = 300.0
LIMITS = PipelineLimits()
console = Console()
T = TypeVar("T")


@dataclass(frozen=True)
class Measurement:
    workers: int
    photos: int
    seconds: float
    parent_peak_mb: float
    worker_peak_mb: float

    @property
    def rate(self) -> float:
        return self.photos / self.seconds

    @property
    def total_peak_mb(self) -> float:
        # Workers peak at about the same time, so their peaks add up.
        return self.parent_peak_mb + self.workers * self.worker_peak_mb


@dataclass(frozen=True)
class Timed:
    """Seconds per photo of ours and of a reference, one value per round."""

    ours: list[float]
    reference: list[float]

    @property
    def ratios(self) -> list[float]:
        return [a / b for a, b in zip(self.ours, self.reference, strict=True)]


def camera_like_jpeg(seed: int, size: tuple[int, int]) -> bytes:
    rng = random.Random(seed)
    small = (size[0] // 8, size[1] // 8)
    channels = [
        Image.linear_gradient("L").rotate(rng.uniform(0, 360)).resize(small) for _ in range(3)
    ]
    scene = Image.merge("RGB", channels)
    draw = ImageDraw.Draw(scene)
    for _ in range(40):
        x, y = rng.randrange(small[0]), rng.randrange(small[1])
        r = rng.randrange(5, small[0] // 4)
        fill = tuple(rng.randrange(256) for _ in range(3))
        draw.ellipse((x - r, y - r, x + r, y + r), fill=fill)
    scene = scene.filter(ImageFilter.GaussianBlur(2)).resize(size, Image.Resampling.BICUBIC)
    noise = Image.merge("RGB", [sensor_noise(rng, size) for _ in range(3)])
    photo = ImageChops.add(scene, noise, offset=-128)
    buffer = BytesIO()
    photo.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def sensor_noise(rng: random.Random, size: tuple[int, int]) -> Image.Image:
    """Uniform noise of +-20 levels around 128: grain that JPEG cannot compress away."""
    uniform = Image.frombytes("L", size, rng.randbytes(size[0] * size[1]))
    return uniform.point(lambda v: 108 + v * 40 // 255)


def write_photo(folder: Path, number: int, size: tuple[int, int]) -> int:
    data = camera_like_jpeg(number, size)
    (folder / f"{number}.jpg").write_bytes(data)
    return len(data)


def generate(folder: Path, count: int, size: tuple[int, int]) -> float:
    """Writes `count` photos in parallel; returns their mean size in MB."""
    with ProcessPoolExecutor() as pool:
        lengths = list(pool.map(write_photo, [folder] * count, range(1, count + 1), [size] * count))
    return sum(lengths) / count / 1e6


# The references: what a script using pyvips would write for the same renditions.


def _pyvips_jpeg(image: pyvips.Image) -> bytes:
    return image.jpegsave_buffer(Q=LIMITS.jpeg_quality, keep="none")


def pyvips_per_size(data: bytes) -> list[bytes]:
    """The issue's reference: `thumbnail` from the file for the original and each size."""
    renditions = [_pyvips_jpeg(pyvips.Image.thumbnail_buffer(data, LIMITS.original_max_side))]
    for side in VARIANT_SIZES:
        square = pyvips.Image.thumbnail_buffer(data, side, height=side, crop="centre")
        renditions.append(_pyvips_jpeg(square))
    return renditions


def pyvips_one_decode(data: bytes) -> list[bytes]:
    """Stricter: decode once to the original, then `thumbnail_image` each size from it."""
    original = pyvips.Image.thumbnail_buffer(data, LIMITS.original_max_side).copy_memory()
    renditions = [_pyvips_jpeg(original)]
    for side in VARIANT_SIZES:
        renditions.append(_pyvips_jpeg(original.thumbnail_image(side, height=side, crop="centre")))
    return renditions


def seconds_per_photo(render: Callable[[bytes], object], photos: list[bytes]) -> float:
    """CPU seconds (all threads of this process): on a shared machine, time waiting for a
    core is other people's, not the photo's."""
    started = time.process_time()
    for data in photos:
        render(data)
    return (time.process_time() - started) / len(photos)


def compare_pipeline(
    photos: list[bytes], reference: Callable[[bytes], object], rounds: int
) -> Timed:
    """Alternating rounds (ours first, then the reference first, ...) on the same photos."""
    ours: list[float] = []
    theirs: list[float] = []
    sides = [(ours, render_photo), (theirs, reference)]
    for round_ in range(rounds):
        for times, render in sides if round_ % 2 == 0 else sides[::-1]:
            times.append(seconds_per_photo(render, photos))
    return Timed(ours, theirs)


def pipeline_row(name: str, timed: Timed) -> Row:
    ratio = statistics.median(timed.ours) / statistics.median(timed.reference)
    return Row(
        name=name,
        unit="ms/photo",
        userphoto=statistics.median(timed.ours) * 1000,
        reference=statistics.median(timed.reference) * 1000,
        ratio=ratio,
        spread=(min(timed.ratios), max(timed.ratios)),
        target=f"≤ {PIPELINE_TARGET:.0%}",
        passed=ratio <= PIPELINE_TARGET,
    )


def measure(folder: Path, data_dir: Path, workers: int, count: int) -> Measurement:
    services = open_services(Settings(data_dir=data_dir))
    try:
        for number in range(1, count + 1):
            services.directory.save_user({"number": number})
        start = time.perf_counter()
        report = import_photos(services, folder, workers=workers)
        seconds = time.perf_counter() - start
    finally:
        services.close()
    if report.imported != count:
        raise RuntimeError(f"imported {report.imported} of {count}: {report.failures[:3]}")
    return Measurement(
        workers,
        count,
        seconds,
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    )


def in_own_process(function: Callable[..., T], *args: object) -> T:
    # A fresh process per measurement: peak RSS only ever grows within one process.
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as p:
        return p.submit(function, *args).result()


def measure_imports(
    folder: Path, scratch: Path, count: int, rounds: int
) -> dict[int, list[Measurement]]:
    """Each worker count once per round, the order alternating between rounds."""
    counts = sorted({1, os.cpu_count() or 1})
    measured: dict[int, list[Measurement]] = {n: [] for n in counts}
    for round_ in range(rounds):
        for workers in counts if round_ % 2 == 0 else counts[::-1]:
            data_dir = scratch / f"data-{round_}-{workers}"
            measured[workers].append(in_own_process(measure, folder, data_dir, workers, count))
    return measured


def scaling_row(measured: dict[int, list[Measurement]]) -> Row:
    one, most = measured[min(measured)], measured[max(measured)]
    ratios = [m.rate / o.rate for m, o in zip(most, one, strict=True)]
    rate_one = statistics.median(m.rate for m in one)
    rate_most = statistics.median(m.rate for m in most)
    return Row(
        name=f"import: {max(measured)} workers vs 1",
        unit="photos/s",
        userphoto=rate_most,
        reference=rate_one,
        ratio=rate_most / rate_one,
        spread=(min(ratios), max(ratios)),
        target=f"≥ {SCALING_TARGET:.0%}",
        passed=rate_most / rate_one >= SCALING_TARGET,
    )


def added_memory_mb(path: Path) -> float:
    """In a fresh process: peak RSS while `path` goes through the pipeline, above the start."""
    pid = os.getpid()
    reset_peak_rss(pid)
    before = rss_mb(pid)
    render_photo(path.read_bytes())
    return peak_rss_mb(pid) - before


def scaling_table(
    measured: dict[int, list[Measurement]], megapixels: float, mean_mb: float
) -> Table:
    photos = next(iter(measured.values()))[0].photos
    grid = Table(
        title=f"importing {photos} JPEGs of {megapixels:g} MP ({mean_mb:.1f} MB each), "
        f"{os.cpu_count()} cores, SQLite store, median of {len(measured[1])} rounds",
        caption="MB: peak RSS; total = parent + workers × worker peak, an upper bound",
    )
    for header in (
        "workers",
        "seconds",
        "photos/s",
        "spread",
        "parent MB",
        "worker MB",
        "total MB",
    ):
        grid.add_column(header, justify="right")
    for workers, runs in measured.items():
        rates = [m.rate for m in runs]
        grid.add_row(
            str(workers),
            f"{statistics.median(m.seconds for m in runs):.1f}",
            f"{statistics.median(rates):.2f}",
            f"{min(rates):.2f}–{max(rates):.2f}",
            f"{max(m.parent_peak_mb for m in runs):.0f}",
            f"{max(m.worker_peak_mb for m in runs):.0f}",
            f"{max(m.total_peak_mb for m in runs):.0f}",
        )
    return grid


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a short run: 24 photos, 3 compared")
    parser.add_argument("--photos", type=int, help="photos to import (200; 24 with --quick)")
    parser.add_argument("--megapixels", type=float, default=12.0, help="size of each, 4:3 (12)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds per side, at least 3 (3)")
    parser.add_argument("--json", type=Path, help="write the rows here as JSON")
    args = parser.parse_args()
    if args.rounds < 3:
        parser.error("--rounds must be at least 3")
    if args.photos is None:
        args.photos = 24 if args.quick else 200
    if args.photos < 1:
        parser.error("--photos must be at least 1")
    return args


def pipeline_rows(photos: list[bytes], megapixels: float, rounds: int) -> list[Row]:
    console.log(f"timing the pipeline against pyvips on {len(photos)} photos")
    references = {"pyvips per size": pyvips_per_size, "pyvips one decode": pyvips_one_decode}
    return [
        pipeline_row(f"{megapixels:g} MP pipeline vs {name}", compare_pipeline(photos, ref, rounds))
        for name, ref in references.items()
    ]


def large_transparent_png(size: tuple[int, int]) -> bytes:
    """The worst case: Pillow decodes a PNG only at full size, 4 bytes a pixel with alpha."""
    grey = Image.linear_gradient("L").resize(size)
    turned = grey.transpose(Image.Transpose.ROTATE_180)
    buffer = BytesIO()
    Image.merge("RGBA", [grey, turned, grey, turned]).save(buffer, "PNG", compress_level=1)
    return buffer.getvalue()


def memory_rows(scratch: Path, rounds: int) -> list[Row]:
    console.log("50 MP pictures through the pipeline")
    files = {
        "50 MP JPEG: memory added": large_jpeg(FIFTY_MEGAPIXELS),
        "50 MP RGBA PNG: memory added": large_transparent_png(FIFTY_MEGAPIXELS),
    }
    rows = []
    for name, data in files.items():
        path = scratch / "fifty"
        path.write_bytes(data)
        added = [in_own_process(added_memory_mb, path) for _ in range(rounds)]
        rows.append(limit_row(name, added, "MB", MEMORY_TARGET_MB))
    return rows


def main() -> None:
    args = arguments()
    width = round(math.sqrt(args.megapixels * 1e6 * 4 / 3))
    size = (width, round(width * 3 / 4))
    pyvips.concurrency_set(1)
    pyvips.cache_set_max(0)
    with tempfile.TemporaryDirectory(prefix="userphoto-bench-") as tmp:
        folder = Path(tmp) / "photos"
        folder.mkdir()
        console.log(f"generating {args.photos} photos of {size[0]}x{size[1]}")
        mean_mb = generate(folder, args.photos, size)
        compared = sorted(folder.iterdir())[: 3 if args.quick else 5]
        rows = pipeline_rows([p.read_bytes() for p in compared], args.megapixels, args.rounds)
        console.log("importing with 1 worker and with one per core")
        imports = measure_imports(folder, Path(tmp), args.photos, args.rounds)
        rows += [scaling_row(imports), *memory_rows(Path(tmp), args.rounds)]
    console.print(scaling_table(imports, args.megapixels, mean_mb))
    print_table(rows, f"photo pipeline, {os.cpu_count()} cores (shared machine: expect noise)")
    if args.json:
        run = {key: getattr(args, key) for key in ("photos", "megapixels", "rounds", "quick")}
        write_json(args.json, rows, run)
        console.log(f"wrote {args.json}")


if __name__ == "__main__":
    main()
