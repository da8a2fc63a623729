"""manage.py erase_contact EXTERNAL_ID --reason TEXT --by USERNAME : GDPR erasure of a person."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from contacts.models import Contact, User
from privacy.services import contact_erase


class Command(BaseCommand):
    help = (
        "Erase a person (GDPR Art. 17): observations, facts, suggestions and their history "
        "go; gifts stay in the ledger under a pseudonym. One transaction."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("external_id", help="the contact's external id")
        parser.add_argument("--reason", required=True, help="why (kept in the erasure log)")
        parser.add_argument(
            "--by", required=True, metavar="USERNAME", help="the team lead or admin erasing"
        )

    def handle(self, *args: Any, external_id: str, reason: str, by: str, **options: Any) -> None:
        contact = Contact.objects.filter(external_id=external_id).first()
        if contact is None:
            raise CommandError(
                f"no contact with external id {external_id!r}; nothing was changed.",
                returncode=1,
            )
        user = User.objects.filter(username=by, is_active=True).first()
        if user is None:
            raise CommandError(f"no active user {by!r}; nothing was changed.", returncode=1)
        try:
            erasure = contact_erase(contact=contact, by=user, reason=reason)
        except PermissionDenied as denied:
            raise CommandError(
                f"{by} may not erase this contact (team leads of its team and admins may); "
                "nothing was changed.",
                returncode=1,
            ) from denied
        except ValidationError as error:
            raise CommandError(
                f"{' '.join(error.messages)} Nothing was changed.", returncode=1
            ) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Erased {external_id} as {erasure.pseudonym}: {erasure.observations} "
                f"observation(s) and {erasure.suggestions} suggestion(s) deleted, "
                f"{erasure.gifts_kept} gift(s) kept in the ledger."
            )
        )
