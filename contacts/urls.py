from django.urls import path

from . import views

urlpatterns = [
    path("team/", views.team, name="team"),
    path("contacts/", views.contact_list, name="contact_list"),
    path("contacts/new/", views.contact_create_view, name="contact_create"),
    path("contacts/picker/", views.contact_picker, name="contact_picker"),
    path("contacts/import/", views.contact_import_new, name="contact_import_new"),
    path("contacts/import/<int:pk>/", views.contact_import_detail, name="contact_import_detail"),
    path(
        "contacts/import/<int:pk>/progress/",
        views.contact_import_progress,
        name="contact_import_progress",
    ),
    path("contacts/duplicates/", views.contact_duplicates, name="contact_duplicates"),
    path("contacts/merge/", views.contact_merge_view, name="contact_merge"),
    path("contacts/export.vcf", views.contact_list_vcard, name="contact_list_vcard"),
    path("contacts/<int:pk>/vcard/", views.contact_vcard, name="contact_vcard"),
    path("contacts/<int:pk>/", views.contact_detail, name="contact_detail"),
    path("contacts/<int:pk>/edit/", views.contact_edit, name="contact_edit"),
    path("contacts/<int:pk>/archive/", views.contact_archive, name="contact_archive"),
    path("observations/new/", views.observation_new, name="observation_new"),
    path("observations/preview/", views.observation_preview, name="observation_preview"),
    path("observations/<int:pk>/edit/", views.observation_edit, name="observation_edit"),
    path("observations/<int:pk>/delete/", views.observation_delete_view, name="observation_delete"),
]
