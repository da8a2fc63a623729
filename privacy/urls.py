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
    path("review/", views.review, name="review"),
    path("review/counter/", views.review_counter, name="review_counter"),
    path(
        "review/observations/<int:pk>/keep/",
        views.observation_review_keep_view,
        name="observation_review_keep",
    ),
    path(
        "review/observations/<int:pk>/delete/",
        views.observation_review_delete_view,
        name="observation_review_delete",
    ),
]
