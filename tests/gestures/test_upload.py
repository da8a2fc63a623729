"""Uploading a gift image in the admin: accepted files are stored re-encoded under a
generated name and thumbnailed by a real worker; refused ones leave nothing behind."""

import io

import pytest
from PIL import Image

from gestures.models import GiftItem
from tests.conftest import wait_until
from tests.gestures import pictures
from tests.gestures.admin_forms import change_url, form_data, upload
from tests.gestures.factories import GiftItemFactory


def stored(field_file):
    with field_file.open("rb") as f:
        image = Image.open(io.BytesIO(f.read()))
        image.load()
    return image


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("make", "filename", "content_type", "image_format"),
    [
        (pictures.jpeg, "holiday.jpg", "image/jpeg", "JPEG"),
        (pictures.png, "logo.png", "image/png", "PNG"),
        (pictures.webp, "photo.webp", "image/webp", "WEBP"),
    ],
)
def test_an_uploaded_image_is_stored_under_a_new_name_and_thumbnailed_by_the_worker(
    client, admin_user, live_worker, media_root, make, filename, content_type, image_format
):
    item = GiftItemFactory.create(tags=["wine"])
    client.force_login(admin_user)

    response = client.post(
        change_url(item),
        form_data(item, image_upload=upload(filename, make(), content_type)),
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    item.refresh_from_db()
    assert item.image.name.startswith("gifts/")
    assert filename not in item.image.name
    assert (media_root / item.image.name).is_file()
    assert stored(item.image).format == image_format
    item = wait_until(
        lambda: GiftItem.objects.filter(pk=item.pk).exclude(thumbnail_list="").first()
    )
    assert stored(item.thumbnail_list).format == "WEBP"
    assert stored(item.thumbnail_list).size == (480, 360)
    assert stored(item.thumbnail_detail).format == "WEBP"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "filename", "message"),
    [
        (pictures.text_pretending_to_be_jpeg(), "shopping.jpg", "not a JPEG, PNG or WebP image"),
        (pictures.truncated_jpeg(), "half.jpg", "damaged or incomplete"),
        (pictures.png_bomb(), "bomb.png", "images may have at most 40 megapixels"),
        (pictures.eleven_megabytes(), "huge.jpg", "images may be at most 10.0"),
    ],
    ids=["text-named-jpg", "truncated-jpeg", "png-bomb", "eleven-mb"],
)
def test_a_refused_upload_shows_why_and_leaves_nothing_on_disk(
    client, admin_user, media_root, content, filename, message
):
    item = GiftItemFactory.create(name="Tea tasting box")
    client.force_login(admin_user)

    response = client.post(
        change_url(item), form_data(item, image_upload=upload(filename, content))
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["image_upload"]
    assert message in " ".join(errors)
    assert message in response.content.decode()
    item.refresh_from_db()
    assert not item.image
    assert pictures.files_under(media_root) == []


@pytest.mark.django_db
def test_the_stored_image_has_no_gps_position_and_stands_upright(client, admin_user, media_root):
    item = GiftItemFactory.create()
    client.force_login(admin_user)

    client.post(
        change_url(item),
        form_data(
            item,
            image_upload=upload("IMG_0001.jpg", pictures.jpeg_with_gps_and_orientation(6)),
        ),
    )

    item.refresh_from_db()
    image = stored(item.image)
    assert not image.getexif()
    assert image.size == (200, 400)
    assert pictures.is_red(image.getpixel((100, 20)))
    assert b"Phonemaker" not in (media_root / item.image.name).read_bytes()


@pytest.mark.django_db(transaction=True)
def test_replacing_an_image_removes_the_old_file(client, admin_user, media_root):
    item = GiftItemFactory.create()
    client.force_login(admin_user)
    client.post(change_url(item), form_data(item, image_upload=upload("a.jpg", pictures.jpeg())))
    item.refresh_from_db()
    first = item.image.name

    client.post(
        change_url(item),
        form_data(item, image_upload=upload("b.png", pictures.png(), "image/png")),
    )

    item.refresh_from_db()
    assert item.image.name != first
    assert pictures.files_under(media_root) == [item.image.name]


@pytest.mark.django_db(transaction=True)
def test_removing_the_image_deletes_its_files(client, admin_user, media_root):
    item = GiftItemFactory.create()
    client.force_login(admin_user)
    client.post(change_url(item), form_data(item, image_upload=upload("a.jpg", pictures.jpeg())))
    item.refresh_from_db()

    client.post(change_url(item), form_data(item, image_remove="on"))

    item.refresh_from_db()
    assert not item.image
    assert pictures.files_under(media_root) == []
