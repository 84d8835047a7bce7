"""Server memory: RSS of each worker at rest, the peak a 50 MP upload adds, growth under load."""

from __future__ import annotations

import io
import math
from dataclasses import dataclass

import httpx
from PIL import Image, ImageDraw

import wrk
from servers import Userphoto, peak_rss_mb, reset_peak_rss, rss_mb

# 8640 x 5760 (3:2) is 49.8 MP, just under the default USERPHOTO_MAX_PIXELS of 50,000,000.
FIFTY_MEGAPIXELS = (8640, 5760)


@dataclass(frozen=True)
class Growth:
    before_mb: float  # all workers together, after the warm-up
    after_mb: float
    requests: int

    @property
    def percent(self) -> float:
        return (self.after_mb - self.before_mb) / self.before_mb * 100


def idle_rss(server: Userphoto) -> list[float]:
    return [rss_mb(pid) for pid in server.workers()]


def growth(server: Userphoto, request: wrk.Request, count: int, load: wrk.Load) -> Growth:
    """RSS before and after at least `count` requests, run as wrk runs sized by the rate."""
    before = sum(idle_rss(server))
    done = 0
    rate = 0.0
    while done < count:
        # The first run measures the rate; later ones aim at the rest, a minute at most each.
        seconds = min(60, math.ceil((count - done) / rate)) if rate else load.seconds
        result = wrk.run(request, wrk.Load(load.threads, load.connections, seconds))
        if result.errors:
            raise wrk.WrkError(f"{result.errors} failed requests during the growth run")
        done += result.requests
        rate = result.rate
    return Growth(before, sum(idle_rss(server)), done)


def upload_peak(server: Userphoto, api_key: str, user: int, image: bytes) -> float:
    """MB the upload added to the answering worker at its peak (VmHWM reset just before)."""
    workers = server.workers()
    before = {pid: rss_mb(pid) for pid in workers}
    for pid in workers:
        reset_peak_rss(pid)
    response = httpx.put(
        f"{server.base}/api/v1/users/{user}/photo",
        content=image,
        headers={"Authorization": f"Bearer {api_key}", "Content-Type": "image/jpeg"},
        timeout=300,
    )
    response.raise_for_status()
    return max(peak_rss_mb(pid) - before[pid] for pid in workers)


def large_jpeg(size: tuple[int, int] = FIFTY_MEGAPIXELS) -> bytes:
    """A smooth scene: decoding costs the same memory as a camera's, the file stays small."""
    channels = [Image.linear_gradient("L").rotate(angle).resize(size) for angle in (0, 120, 240)]
    scene = Image.merge("RGB", channels)
    draw = ImageDraw.Draw(scene)
    for step in range(12):
        x, y = size[0] * step // 12, size[1] * (step % 4) // 4
        draw.ellipse((x, y, x + size[0] // 8, y + size[1] // 5), fill=(20 * step, 90, 240 - step))
    buffer = io.BytesIO()
    scene.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()
