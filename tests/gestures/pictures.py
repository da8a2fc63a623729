"""Real images for the tests, made with Pillow: photos, metadata, broken and hostile files."""

import io
from pathlib import Path

from PIL import Image, ImageDraw

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def picture(size=(640, 480), mode="RGB"):
    """A picture with structure (so encoders have something to do), not a flat colour."""
    image = Image.new(mode, size, "#35608f")
    draw = ImageDraw.Draw(image)
    draw.ellipse((size[0] // 4, size[1] // 4, size[0] * 3 // 4, size[1] * 3 // 4), fill="#f0c040")
    draw.line((0, 0, size[0], size[1]), fill="#ffffff", width=max(1, size[0] // 100))
    return image


def encoded(image, image_format, **options):
    out = io.BytesIO()
    image.save(out, format=image_format, **options)
    return out.getvalue()


def jpeg(size=(640, 480), **options):
    return encoded(picture(size), "JPEG", quality=90, **options)


def png(size=(640, 480)):
    return encoded(picture(size, "RGBA"), "PNG")


def webp(size=(640, 480)):
    return encoded(picture(size), "WEBP", quality=85)


def jpeg_with_gps_and_orientation(orientation=1, size=(400, 200)):
    """A phone-style JPEG: GPS position, camera model, an orientation tag. Its left half is
    red and its right half blue, so a rotation can be seen in the pixels."""
    image = Image.new("RGB", size, "blue")
    ImageDraw.Draw(image).rectangle((0, 0, size[0] // 2 - 1, size[1]), fill="red")
    exif = Image.Exif()
    exif[0x010F] = "Phonemaker"
    exif[0x0110] = "Phone 12"
    exif[ORIENTATION] = orientation
    exif[GPS_IFD] = {1: "N", 2: (52.0, 31.0, 12.0), 3: "E", 4: (13.0, 24.0, 0.0)}
    return encoded(image, "JPEG", quality=95, exif=exif)


def text_pretending_to_be_jpeg():
    return b"This is a shopping list, not a photo.\nMilk\nBread\n" * 20


def truncated_jpeg():
    data = jpeg((1200, 900))
    return data[: len(data) // 2]


def png_bomb():
    """8000 x 8000 pixels (64 megapixels) in a few kilobytes."""
    return encoded(Image.new("1", (8000, 8000)), "PNG")


def eleven_megabytes():
    """A valid JPEG padded past 10 MB (bytes after the end-of-image marker)."""
    data = jpeg((320, 240))
    return data + b"\0" * (11 * 1024 * 1024 - len(data))


def is_red(pixel):
    r, g, b = pixel[:3]
    return r > 200 and g < 60 and b < 60


def is_blue(pixel):
    r, g, b = pixel[:3]
    return b > 200 and r < 60 and g < 60


def files_under(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in Path(root).rglob("*") if p.is_file())
