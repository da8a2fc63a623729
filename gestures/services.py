"""Writes for the gift catalog: items, their images and thumbnails. Keyword-only, validated.

Image files always get generated names. Files a change makes obsolete are deleted only
after the transaction commits, and thumbnails are made by a task sent after the commit.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable
from functools import partial
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from .images import MAX_BYTES, CleanImage, thumbnails_make
from .models import GiftItem

logger = logging.getLogger(__name__)

IMAGE_FOLDER = "gifts"
THUMBNAIL_FOLDER = "gifts/thumbs"


def _file_names(item: GiftItem) -> list[str]:
    return [f.name for f in (item.image, item.thumbnail_list, item.thumbnail_detail) if f]


def _delete_files(names: Iterable[str]) -> None:
    for name in names:
        try:
            default_storage.delete(name)
        except OSError:
            logger.warning("could not delete the obsolete file %s", name, exc_info=True)


def _delete_files_on_commit(names: list[str]) -> None:
    if names:
        transaction.on_commit(partial(_delete_files, names))


def gift_item_thumbnails_schedule(*, item_id: int) -> None:
    """Have a worker make the item's thumbnails once the current transaction commits."""
    from .tasks import gift_item_make_thumbnails  # the task module imports this one

    transaction.on_commit(partial(gift_item_make_thumbnails.delay, item_id))


def gift_item_save(*, item: GiftItem) -> GiftItem:
    item.full_clean(exclude=["image", "image_sha256", "thumbnail_list", "thumbnail_detail"])
    item.save()
    return item


@transaction.atomic
def gift_item_image_replace(*, item: GiftItem, image: CleanImage) -> GiftItem:
    """Store `image` under a new name as the item's picture; the old files go on commit."""
    if item.pk is None:
        raise ValueError("save the gift item before giving it an image")
    obsolete = _file_names(item)
    name = default_storage.save(
        f"{IMAGE_FOLDER}/{uuid.uuid4().hex}.{image.extension}", ContentFile(image.content)
    )
    try:
        item.image.name = name
        item.image_sha256 = image.source_sha256
        item.thumbnail_list.name = ""
        item.thumbnail_detail.name = ""
        item.updated_at = timezone.now()
        item.save(
            update_fields=[
                "image",
                "image_sha256",
                "thumbnail_list",
                "thumbnail_detail",
                "updated_at",
            ]
        )
    except BaseException:
        _delete_files([name])
        raise
    _delete_files_on_commit(obsolete)
    gift_item_thumbnails_schedule(item_id=item.pk)
    return item


@transaction.atomic
def gift_item_image_remove(*, item: GiftItem) -> GiftItem:
    obsolete = _file_names(item)
    item.image.name = ""
    item.image_sha256 = ""
    item.thumbnail_list.name = ""
    item.thumbnail_detail.name = ""
    item.save(
        update_fields=["image", "image_sha256", "thumbnail_list", "thumbnail_detail", "updated_at"]
    )
    _delete_files_on_commit(obsolete)
    return item


def gift_item_thumbnails_make(*, item_id: int) -> bool:
    """Make the item's list and detail thumbnails from its stored image.

    Idempotent and safe against a concurrent image change: the thumbnails are recorded
    only if the row still has this image and no thumbnails (a conditional UPDATE);
    otherwise the files just made are removed again. A missing or broken stored image is
    logged and leaves the item without thumbnails: pages then show the original or a
    placeholder. Returns whether thumbnails were recorded.
    """
    item = (
        GiftItem.objects.filter(pk=item_id)
        .only("pk", "image", "thumbnail_list", "thumbnail_detail")
        .first()
    )
    if item is None or not item.image:
        return False
    if item.thumbnail_list and item.thumbnail_detail:
        return False
    image_name = item.image.name
    try:
        with default_storage.open(image_name, "rb") as stored:
            data = stored.read(MAX_BYTES + 1)
    except FileNotFoundError:
        logger.warning("gift item %s: image file %s is missing", item_id, image_name)
        return False
    try:
        thumbnails = thumbnails_make(data)
    except ValidationError as error:
        logger.warning("gift item %s: no thumbnails for %s: %s", item_id, image_name, error)
        return False
    stem = PurePosixPath(image_name).stem
    made = [
        default_storage.save(
            f"{THUMBNAIL_FOLDER}/{stem}-list.webp", ContentFile(thumbnails.list_webp)
        ),
        default_storage.save(
            f"{THUMBNAIL_FOLDER}/{stem}-detail.webp", ContentFile(thumbnails.detail_webp)
        ),
    ]
    recorded = GiftItem.objects.filter(
        pk=item_id, image=image_name, thumbnail_list="", thumbnail_detail=""
    ).update(thumbnail_list=made[0], thumbnail_detail=made[1])
    if not recorded:
        _delete_files(made)
    return bool(recorded)


def gift_items_set_active(*, items: QuerySet[GiftItem], active: bool) -> int:
    """Activate or deactivate many items at once; returns how many changed."""
    return items.exclude(active=active).update(active=active, updated_at=timezone.now())


@transaction.atomic
def gift_items_delete(*, items: QuerySet[GiftItem]) -> int:
    doomed = list(items)
    obsolete = [name for item in doomed for name in _file_names(item)]
    GiftItem.objects.filter(pk__in=[item.pk for item in doomed]).delete()
    _delete_files_on_commit(obsolete)
    return len(doomed)
