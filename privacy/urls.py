from django.urls import path

from . import views

urlpatterns = [
    path("contacts/<int:pk>/erase/", views.contact_erase_view, name="contact_erase"),
    path("contacts/<int:pk>/export/", views.contact_export_view, name="contact_export"),
    path(
        "contacts/<int:pk>/privacy-notice/",
        views.privacy_notice_given_view,
        name="contact_privacy_notice",
    ),
]
