"""manage.py export_json [--contact ID] : the exchange format plus facts, to stdout."""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q

from contacts.models import Contact
from relcrm.exchange import export_data


class Command(BaseCommand):
    help = (
        "Print everything as JSON in the import format plus facts; with --contact, one "
        "person's data (for a GDPR access request)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--contact", metavar="ID", help="a contact's external id (or pk)")

    def handle(self, *args: Any, contact: str | None, **options: Any) -> None:
        selected = None
        if contact is not None:
            lookup = Q(external_id=contact)
            if contact.isdigit():
                lookup |= Q(pk=int(contact), external_id__isnull=True)
            if contact.startswith("contact-") and contact[8:].isdigit():
                lookup |= Q(pk=int(contact[8:]), external_id__isnull=True)
            selected = Contact.objects.filter(lookup).first()
            if selected is None:
                raise CommandError(f"no contact with id {contact!r}", returncode=1)
        if selected is not None:
            # The same content as the contact page's "Export personal data".
            from privacy.export import personal_data_export

            data = personal_data_export(contact=selected)
        else:
            data = export_data()
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
