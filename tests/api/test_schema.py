"""Schemathesis against the app's own OpenAPI schema: no 500, every answer as documented."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.services import api_token_create
from tests.factories import ContactFactory
from tests.gestures.factories import GiftItemFactory, SuggestionFactory

EXAMPLES_PER_OPERATION = 25


@pytest.fixture
def connection_kept_open():
    # As Django's test client does: the WSGI handler would close the test's connection
    # (and its transaction) after each request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.page_walk  # fuzzed input to every operation, as the page walks fuzz the forms
@pytest.mark.django_db
def test_the_api_keeps_its_schema(connection_kept_open, manager, colleague, outsider, settings):
    """Every operation of the schema, with generated valid and invalid input."""
    settings.RELCRM_API_RATE_LIMIT = "100000/m"
    mine = ContactFactory.create(owner=manager)
    ContactFactory.create(owner=colleague)
    ContactFactory.create(owner=outsider)
    SuggestionFactory.create(contact=mine)
    GiftItemFactory.create()
    _token, raw = api_token_create(user=manager, name="schemathesis")
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    operations = [result.ok() for result in schema.get_all_operations()]  # type: ignore[union-attr]
    assert len(operations) >= 15

    for operation in operations:

        @given(case=operation.as_strategy())
        @hypothesis_settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def keeps_its_schema(case):
            response = case.call(headers={"Authorization": f"Bearer {raw}"})
            case.validate_response(
                response,
                checks=(
                    not_a_server_error,
                    status_code_conformance,
                    content_type_conformance,
                    response_schema_conformance,
                ),
            )

        keeps_its_schema()
