"""Contact.last_touch_on for the contacts that existed before it: the latest observation or
gesture of each."""

from django.db import migrations
from django.db.models import DateField, Max, OuterRef, Subquery
from django.db.models.functions import Coalesce, Greatest


def backfill(apps, schema_editor):
    Contact = apps.get_model("contacts", "Contact")
    Observation = apps.get_model("contacts", "Observation")
    Gesture = apps.get_model("gestures", "Gesture")
    observed = Subquery(
        Observation.objects.filter(contact=OuterRef("pk"))
        .values("contact")
        .annotate(latest=Max("noted_on"))
        .values("latest"),
        output_field=DateField(),
    )
    done = Subquery(
        Gesture.objects.filter(contact=OuterRef("pk"))
        .values("contact")
        .annotate(latest=Max("date"))
        .values("latest"),
        output_field=DateField(),
    )
    # GREATEST is NULL with a NULL argument on SQLite (not on PostgreSQL): coalesce both.
    Contact.objects.update(
        last_touch_on=Greatest(Coalesce(observed, done), Coalesce(done, observed))
    )


class Migration(migrations.Migration):
    dependencies = [
        ("contacts", "0008_contact_last_touch"),
        ("gestures", "0002_suggestions_gestures"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True)]
