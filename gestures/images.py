"""Gift images, as pure functions on bytes: accept only what decodes as JPEG, PNG or WebP
within the size limits, re-encode it without metadata, and make WebP thumbnails.

Storage and the database are the services' business; nothing here touches either.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

if TYPE_CHECKING:  # django-stubs-ext is a development dependency
    from django_stubs_ext import StrOrPromise

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
# The stored original is what the page shows until the thumbnails exist, so it is kept
# to a size a browser scales without pain.
MAX_STORED_EDGE = 2400
LIST_SIZE = (480, 360)  # cover-cropped to the grid's 4:3 cards
DETAIL_SIZE = (1200, 1200)  # fitted inside, never enlarged

# What the decoder may report -> what we write. MPO is how Pillow names many camera JPEGs.
ACCEPTED_FORMATS = {"JPEG": "JPEG", "MPO": "JPEG", "PNG": "PNG", "WEBP": "WEBP"}
# The decoders Pillow may try (the JPEG one also reports MPO).
_DECODERS = ["JPEG", "PNG", "WEBP"]
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
_SAVE_OPTIONS: dict[str, dict[str, object]] = {
    "JPEG": {"quality": 88},
    "PNG": {"compress_level": 6},
    "WEBP": {"quality": 85, "method": 4},
}


@dataclass(frozen=True)
class CleanImage:
    """An accepted image, re-encoded: only pixels, no metadata, no trailing bytes."""

    content: bytes
    format: str  # "JPEG", "PNG" or "WEBP"
    width: int
    height: int
    # Of the bytes as given, so an unchanged source is recognised on the next import.
    source_sha256: str

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.format]


@dataclass(frozen=True)
class Thumbnails:
    list_webp: bytes
    detail_webp: bytes


def _rejected(message: StrOrPromise, code: str, **params: object) -> ValidationError:
    return ValidationError(message, code=code, params=params)


def _too_large(size: int) -> ValidationError:
    return _rejected(
        _("The file is %(size)s; images may be at most %(limit)s."),
        "image_too_large",
        size=filesizeformat(size),
        limit=filesizeformat(MAX_BYTES),
    )


def _open(data: bytes) -> Image.Image:
    """Open (header only) a JPEG, PNG or WebP within the pixel limit, or refuse it."""
    if not data:
        raise _rejected(_("The file is empty."), "image_empty")
    try:
        with warnings.catch_warnings():
            # Pillow only warns below twice its own limit; a bomb is an error here.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=_DECODERS)
    except (UnidentifiedImageError, Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise _rejected(_("This file is not a JPEG, PNG or WebP image."), "image_format") from None
    except Exception:
        raise _rejected(_("The image is damaged and cannot be read."), "image_damaged") from None
    width, height = image.size
    if image.format not in ACCEPTED_FORMATS:
        image.close()
        raise _rejected(_("This file is not a JPEG, PNG or WebP image."), "image_format")
    if width * height > MAX_PIXELS:
        image.close()
        raise _rejected(
            _(
                "The image is %(width)s × %(height)s pixels (%(megapixels)s megapixels); "  # noqa: RUF001
                "images may have at most %(limit)s megapixels."
            ),
            "image_too_many_pixels",
            width=width,
            height=height,
            megapixels=round(width * height / 1_000_000, 1),
            limit=MAX_PIXELS // 1_000_000,
        )
    return image


def _decoded(image: Image.Image, *, at_least: tuple[int, int] | None) -> Image.Image:
    """Decode every pixel (so a truncated file is refused), upright, in RGB(A) or L."""
    try:
        if at_least is not None and image.format in ("JPEG", "MPO"):
            # Let libjpeg scale down by 1/2, 1/4 or 1/8 while decoding: much faster.
            image.draft(None, at_least)
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image.load()
        upright = ImageOps.exif_transpose(image) or image
        return _to_srgb(upright)
    except ValidationError:
        raise
    except Exception:
        raise _rejected(
            _("The image is damaged or incomplete and cannot be read."), "image_damaged"
        ) from None


def _to_srgb(image: Image.Image) -> Image.Image:
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info
    )
    mode = "RGBA" if has_alpha else ("L" if image.mode in ("1", "L") else "RGB")
    icc = image.info.get("icc_profile")
    if icc and mode != "L":
        try:
            converted = ImageCms.profileToProfile(
                image if image.mode in ("RGB", "RGBA", "CMYK") else image.convert(mode),
                ImageCms.ImageCmsProfile(io.BytesIO(icc)),
                ImageCms.createProfile("sRGB"),
                outputMode=mode,
            )
            if converted is not None:
                image = converted
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # an unusable profile is dropped; the pixels are still fine
    if image.mode != mode:
        image = image.convert(mode)
    # A fresh image: nothing of the source's metadata (EXIF, XMP, ICC, text) travels on.
    fresh = Image.new(image.mode, image.size)
    fresh.paste(image)
    return fresh


def _encode(image: Image.Image, image_format: str) -> bytes:
    if image_format == "JPEG" and image.mode == "RGBA":
        image = image.convert("RGB")
    out = io.BytesIO()
    image.save(out, format=image_format, **_SAVE_OPTIONS[image_format])
    return out.getvalue()


def image_clean(data: bytes) -> CleanImage:
    """Accept `data` as a gift image, re-encoded in its own format, or raise ValidationError."""
    if len(data) > MAX_BYTES:
        raise _too_large(len(data))
    with _open(data) as source:
        image_format = ACCEPTED_FORMATS[source.format or ""]
        image = _decoded(source, at_least=(MAX_STORED_EDGE, MAX_STORED_EDGE))
    image.thumbnail((MAX_STORED_EDGE, MAX_STORED_EDGE), Image.Resampling.LANCZOS)
    return CleanImage(
        content=_encode(image, image_format),
        format=image_format,
        width=image.width,
        height=image.height,
        source_sha256=hashlib.sha256(data).hexdigest(),
    )


def image_clean_file(file: IO[bytes], *, size: int | None = None) -> CleanImage:
    """`image_clean` for an uploaded or opened file, refusing it by size before reading it."""
    if size is not None and size > MAX_BYTES:
        raise _too_large(size)
    file.seek(0)
    data = file.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise _too_large(size if size is not None else len(data))
    return image_clean(data)


def thumbnails_make(data: bytes) -> Thumbnails:
    """The list (cover-cropped) and detail (fitted) thumbnails of an image, as WebP."""
    with _open(data) as source:
        image = _decoded(source, at_least=DETAIL_SIZE)
    detail = image.copy()
    detail.thumbnail(DETAIL_SIZE, Image.Resampling.LANCZOS)
    listing = ImageOps.fit(detail, LIST_SIZE, Image.Resampling.LANCZOS)
    return Thumbnails(list_webp=_encode(listing, "WEBP"), detail_webp=_encode(detail, "WEBP"))
