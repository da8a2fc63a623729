"""Gift images as bytes: what is accepted, what is refused and why, what survives re-encoding."""

import io

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from gestures.images import (
    DETAIL_SIZE,
    LIST_SIZE,
    MAX_STORED_EDGE,
    image_clean,
    image_clean_file,
    thumbnails_make,
)
from tests.gestures import pictures


def opened(data):
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


@pytest.mark.parametrize(
    ("make", "image_format"),
    [(pictures.jpeg, "JPEG"), (pictures.png, "PNG"), (pictures.webp, "WEBP")],
)
def test_jpeg_png_and_webp_are_accepted_and_re_encoded_in_their_own_format(make, image_format):
    source = make()

    clean = image_clean(source)

    assert clean.format == image_format
    assert opened(clean.content).format == image_format
    assert (clean.width, clean.height) == (640, 480)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (pictures.text_pretending_to_be_jpeg(), "not a JPEG, PNG or WebP image"),
        (pictures.truncated_jpeg(), "damaged or incomplete"),
        (pictures.png_bomb(), "8000 × 8000 pixels (64.0 megapixels)"),  # noqa: RUF001
        (pictures.eleven_megabytes(), "images may be at most 10.0\xa0MB"),
        (b"", "The file is empty"),
        (pictures.encoded(pictures.picture(), "GIF"), "not a JPEG, PNG or WebP image"),
    ],
    ids=["text-named-jpg", "truncated-jpeg", "png-bomb", "eleven-mb", "empty", "gif"],
)
def test_refused_files_get_a_message_saying_why(data, message):
    with pytest.raises(ValidationError) as refused:
        image_clean(data)

    assert message in " ".join(refused.value.messages)


def test_an_oversized_upload_is_refused_by_its_size_before_it_is_read():
    class Unreadable(io.BytesIO):
        def read(self, *args):
            raise AssertionError("read although the size alone refuses it")

    with pytest.raises(ValidationError, match=r"at most 10\.0"):
        image_clean_file(Unreadable(), size=11 * 1024 * 1024)


def test_exif_with_the_gps_position_is_gone_from_the_stored_image():
    source = pictures.jpeg_with_gps_and_orientation()
    assert Image.open(io.BytesIO(source)).getexif().get_ifd(pictures.GPS_IFD)

    stored = opened(image_clean(source).content)

    assert not stored.getexif()
    assert "exif" not in stored.info
    assert b"Phonemaker" not in image_clean(source).content


def test_the_exif_orientation_is_applied_to_the_pixels():
    # Orientation 6: the camera was turned; the picture must be rotated 90° clockwise,
    # so the red left half ends up on top.
    stored = opened(image_clean(pictures.jpeg_with_gps_and_orientation(6)).content)

    assert stored.size == (200, 400)
    assert pictures.is_red(stored.getpixel((100, 20)))
    assert pictures.is_blue(stored.getpixel((100, 380)))


def test_bytes_hidden_after_the_image_are_dropped():
    source = pictures.jpeg() + b"PK\x03\x04 a zip archive riding along"

    assert b"PK\x03\x04" not in image_clean(source).content


def test_big_originals_are_stored_scaled_down():
    clean = image_clean(pictures.jpeg((4000, 3000)))

    assert max(clean.width, clean.height) == MAX_STORED_EDGE
    assert opened(clean.content).size == (2400, 1800)


def test_png_transparency_is_kept():
    clean = image_clean(pictures.encoded(Image.new("RGBA", (50, 50), (255, 0, 0, 0)), "PNG"))

    assert opened(clean.content).getpixel((10, 10))[3] == 0


def test_thumbnails_are_webp_in_list_and_detail_size():
    thumbnails = thumbnails_make(pictures.jpeg((4000, 3000)))

    listing, detail = opened(thumbnails.list_webp), opened(thumbnails.detail_webp)
    assert (listing.format, detail.format) == ("WEBP", "WEBP")
    assert listing.size == LIST_SIZE
    assert detail.size == (1200, 900)
    assert max(detail.size) <= max(DETAIL_SIZE)


def test_small_images_are_not_enlarged_for_the_detail_thumbnail():
    detail = opened(thumbnails_make(pictures.png((300, 200))).detail_webp)

    assert detail.size == (300, 200)


def test_the_same_source_gives_the_same_checksum():
    source = pictures.jpeg()

    assert image_clean(source).source_sha256 == image_clean(source).source_sha256
    assert image_clean(source).source_sha256 != image_clean(pictures.png()).source_sha256
