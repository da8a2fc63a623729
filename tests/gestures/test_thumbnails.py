"""Making thumbnails from the stored image: idempotent, and harmless when the file is gone
or broken (the pages then show the original or a placeholder)."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from gestures.images import image_clean
from gestures.models import GiftItem
from gestures.services import gift_item_image_replace, gift_item_thumbnails_make
from tests.gestures import pictures
from tests.gestures.factories import GiftItemFactory

pytestmark = pytest.mark.django_db


def test_thumbnails_are_made_once_for_the_current_image(media_root):
    item = gift_item_image_replace(
        item=GiftItemFactory.create(), image=image_clean(pictures.jpeg())
    )

    assert gift_item_thumbnails_make(item_id=item.pk) is True
    assert gift_item_thumbnails_make(item_id=item.pk) is False

    item.refresh_from_db()
    assert item.thumbnail_list.name.endswith("-list.webp")
    assert item.thumbnail_detail.name.endswith("-detail.webp")
    assert len(pictures.files_under(media_root)) == 3


def test_a_missing_image_file_leaves_the_item_without_thumbnails(media_root):
    item = GiftItemFactory.create()
    GiftItem.objects.filter(pk=item.pk).update(image="gifts/gone.jpg")

    assert gift_item_thumbnails_make(item_id=item.pk) is False
    item.refresh_from_db()
    assert not item.thumbnail_list


def test_a_broken_stored_image_leaves_the_item_without_thumbnails(media_root):
    name = default_storage.save("gifts/broken.jpg", ContentFile(pictures.truncated_jpeg()))
    item = GiftItemFactory.create()
    GiftItem.objects.filter(pk=item.pk).update(image=name)

    assert gift_item_thumbnails_make(item_id=item.pk) is False
    assert pictures.files_under(media_root) == ["gifts/broken.jpg"]


def test_a_deleted_item_is_no_error():
    assert gift_item_thumbnails_make(item_id=987654) is False
