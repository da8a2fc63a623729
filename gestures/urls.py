from django.urls import URLPattern, path

from .views import catalog

urlpatterns: list[URLPattern] = [
    path("catalog/", catalog.catalog, name="catalog"),
    path("catalog/<int:pk>/", catalog.catalog_item, name="catalog_item"),
]
