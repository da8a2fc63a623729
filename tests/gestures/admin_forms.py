"""The admin's gift item form as a browser would post it."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse


def change_url(item):
    return reverse("admin:gestures_giftitem_change", args=[item.pk])


def form_data(item, **changes):
    data = {
        "sku": item.sku,
        "name": item.name,
        "name_de": item.name_de,
        "description": item.description,
        "description_de": item.description_de,
        "price_eur": str(item.price_eur),
        "tags": [tag.pk for tag in item.tags.all()],
        "occasions": list(item.occasions),
        "dietary": list(item.dietary),
        "lead_time_days": str(item.lead_time_days),
        "stock": "" if item.stock is None else str(item.stock),
        "supplier": item.supplier,
        "supplier_url": item.supplier_url,
        "_save": "Save",
    }
    for flag in ("active", "contains_alcohol", "food"):
        if getattr(item, flag):
            data[flag] = "on"
    data.update(changes)
    return data


def upload(name, content, content_type="image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=content_type)
