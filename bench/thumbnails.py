"""How long thumbnailing a 4000x3000 JPEG takes: the list and detail WebP thumbnails the
worker makes, and the upload path before it (decode, check, re-encode the original).

Run as `python bench/thumbnails.py` from the repository root (or `make bench`).
"""

from __future__ import annotations

import io
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # allow `python bench/thumbnails.py` without installing
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relcrm.settings")
os.environ.setdefault("DEBUG", "true")

import django  # noqa: E402

django.setup()

from PIL import Image, ImageDraw  # noqa: E402

from gestures.images import image_clean, thumbnails_make  # noqa: E402

RUNS = 15


def photo_like_jpeg(size: tuple[int, int] = (4000, 3000)) -> bytes:
    """A camera-sized JPEG with gradients, shapes and fine noise, so it decodes like a photo."""
    width, height = size
    base = Image.linear_gradient("L").resize(size).convert("RGB")
    noise = Image.effect_noise(size, 64).convert("RGB")
    image = Image.blend(base, noise, 0.5)
    draw = ImageDraw.Draw(image)
    for index in range(40):
        x, y = (index * 397) % width, (index * 211) % height
        draw.ellipse(
            (x, y, x + 600, y + 400), outline=(40 + index * 5, 120, 200 - index * 4), width=24
        )
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=90)
    return out.getvalue()


def timed(action: Callable[[], object]) -> list[float]:
    action()  # warm-up
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return times


def report(label: str, times: list[float]) -> None:
    print(
        f"{label}: median {statistics.median(times) * 1000:.0f} ms "
        f"(min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f}; {RUNS} runs, one core)"
    )


def main() -> None:
    source = photo_like_jpeg()
    stored = image_clean(source).content
    print(f"source: 4000x3000 JPEG, {len(source) / 1_000_000:.1f} MB")
    report(
        "thumbnails of the 4000x3000 JPEG (list + detail WebP)",
        timed(lambda: thumbnails_make(source)),
    )
    report("upload check + re-encode of the 4000x3000 JPEG", timed(lambda: image_clean(source)))
    report(
        "thumbnails of the stored 2400x1800 re-encode (what the worker does)",
        timed(lambda: thumbnails_make(stored)),
    )


if __name__ == "__main__":
    main()
