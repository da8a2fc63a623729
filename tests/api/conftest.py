import pytest
from django.core.cache import cache

from api.services import api_token_create


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    # The rate limit counts in the cache; each test starts with a full budget.
    cache.clear()
    yield
    cache.clear()


def bearer(user) -> dict[str, str]:
    _token, raw = api_token_create(user=user, name="tests")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
