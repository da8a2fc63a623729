"""A real browser: an admin uploads a picture for a gift item in the Django admin and,
once a real worker has made the thumbnail, sees it in the catalog list."""

import re
import time

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in
from tests.gestures import pictures
from tests.gestures.factories import GiftItemFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.celery]


def test_an_admin_uploads_an_image_and_sees_its_thumbnail_in_the_list(
    page, admin_user, live_worker, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    GiftItemFactory.create(sku="TEA-BOX", name="Tea tasting box", tags=["tea"])
    photo = tmp_path / "tea-box.jpg"
    photo.write_bytes(pictures.jpeg((1600, 1200)))
    sign_in(page, "admin")

    page.goto("/admin/gestures/giftitem/")
    page.get_by_role("link", name="Tea tasting box").click()
    page.get_by_label("New image").set_input_files(str(photo))
    page.get_by_role("button", name="Save", exact=True).click()

    expect(page.get_by_text("was changed successfully")).to_be_visible()
    thumbnail = page.get_by_role("img", name="Image of Tea tasting box")
    deadline = time.monotonic() + 30
    while not re.search(r"-list\.webp$", thumbnail.get_attribute("src") or ""):
        assert time.monotonic() < deadline, "the thumbnail did not appear within 30 s"
        time.sleep(0.5)
        page.reload()
    expect(thumbnail).to_have_attribute("src", re.compile(r"^/media/gifts/thumbs/.+-list\.webp$"))
    page.wait_for_function(
        "img => img.complete && img.naturalWidth === 480", arg=thumbnail.element_handle()
    )
