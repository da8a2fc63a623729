"""The staff catalog: browse gift items and see which of your contacts each one suits."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from relcrm.http import AuthedRequest

from ..forms import CatalogFilterForm
from ..models import GiftItem
from ..selectors import catalog_cards, gift_items_for_catalog, tags_for_filter

ITEMS_PER_PAGE = 24


@require_GET
def catalog(request: AuthedRequest) -> HttpResponse:
    language = request.LANGUAGE_CODE
    form = CatalogFilterForm(request.GET, tags=list(tags_for_filter()), language=language)
    filters = form.filters()
    page_obj = Paginator(gift_items_for_catalog(filters=filters), ITEMS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page_obj": page_obj,
        "cards": catalog_cards(user=request.user, items=list(page_obj), language=language),
        "query": query.urlencode(),
        "is_filtered": filters != type(filters)(),
    }
    template = "gestures/catalog.html"
    # A history restore after hx-push-url needs the whole page again.
    if request.htmx and not (request.htmx.boosted or request.htmx.history_restore_request):
        template += "#results"
    return render(request, template, context)


@require_GET
def catalog_item(request: AuthedRequest, pk: int) -> HttpResponse:
    # The catalog belongs to no team: every signed-in user may read its active items
    # (contacts.permissions governs team data, and catalog_cards asks it about contacts).
    item = get_object_or_404(GiftItem.objects.filter(active=True).prefetch_related("tags"), pk=pk)
    (card,) = catalog_cards(user=request.user, items=[item], language=request.LANGUAGE_CODE)
    return render(request, "gestures/catalog_item.html", {"card": card, "item": item})
