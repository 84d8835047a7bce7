"""Photo import throughput: photos per second and peak memory, with 1 worker and with all cores.

Generates believable camera-like JPEGs (gradients, shapes and sensor-like noise; solid colours
would compress and decode unrealistically fast) into a temporary folder once, then imports
them into a fresh SQLite data dir per configuration through `import_photos`, exactly as
`userphoto photos import` does. Each configuration runs in its own process so that its
peak RSS (the importing process, and the largest of its rendering workers) is its own.

    .venv/bin/python bench/pipeline.py [--photos 200] [--megapixels 12]
"""

from __future__ import annotations

import argparse
import math
import multiprocessing
import os
import random
import resource
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter

from userphoto.bootstrap import open_services
from userphoto.config import Settings
from userphoto.core.importer import import_photos


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


def measure_in_own_process(folder: Path, data_dir: Path, workers: int, count: int) -> Measurement:
    # A fresh process per configuration: ru_maxrss only ever grows within one process.
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as p:
        return p.submit(measure, folder, data_dir, workers, count).result()


def print_table(rows: list[Measurement], megapixels: float, mean_mb: float) -> None:
    print(
        f"\nimporting {rows[0].photos} JPEGs of {megapixels:g} MP ({mean_mb:.1f} MB each), "
        f"{os.cpu_count()} cores, SQLite store"
    )
    header = ("workers", "seconds", "photos/s", "parent MB", "worker MB", "total MB")
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---:" for _ in header) + "|")
    for m in rows:
        cells = (
            m.workers,
            f"{m.seconds:.1f}",
            f"{m.rate:.2f}",
            f"{m.parent_peak_mb:.0f}",
            f"{m.worker_peak_mb:.0f}",
            f"{m.total_peak_mb:.0f}",
        )
        print("| " + " | ".join(str(c) for c in cells) + " |")
    print("(MB: peak RSS; total = parent + workers x worker peak, an upper bound)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=200, help="photos to import (200)")
    parser.add_argument("--megapixels", type=float, default=12.0, help="size of each, 4:3 (12)")
    args = parser.parse_args()
    width = round(math.sqrt(args.megapixels * 1e6 * 4 / 3))
    size = (width, round(width * 3 / 4))
    with tempfile.TemporaryDirectory(prefix="userphoto-bench-") as tmp:
        folder = Path(tmp) / "photos"
        folder.mkdir()
        started = time.perf_counter()
        mean_mb = generate(folder, args.photos, size)
        print(
            f"generated {args.photos} photos of {size[0]}x{size[1]} "
            f"in {time.perf_counter() - started:.0f} s"
        )
        worker_counts = sorted({1, os.cpu_count() or 1})
        rows = [
            measure_in_own_process(folder, Path(tmp) / f"data-{n}", n, args.photos)
            for n in worker_counts
        ]
    print_table(rows, args.megapixels, mean_mb)


if __name__ == "__main__":
    main()
