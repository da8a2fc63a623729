"""Load the seed interest taxonomy (contacts/taxonomy_seed.py) into Tag.

Existing tags are left as they are: admins may have edited their names or synonyms.
"""

from django.db import migrations


def seed_tags(apps, schema_editor):
    from contacts.taxonomy_seed import seed_tags_create_missing

    seed_tags_create_missing(apps.get_model("contacts", "Tag"))


class Migration(migrations.Migration):
    dependencies = [("contacts", "0002_domain")]

    operations = [migrations.RunPython(seed_tags, migrations.RunPython.noop)]
