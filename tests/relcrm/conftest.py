import pytest

from tests.relcrm.app_walk import team_world_create


@pytest.fixture
def team_world(manager, lead, outsider):
    """A contact, observation, suggestion, gift item and calendar feed of the team, and a
    contact with an organization of another team."""
    return team_world_create(manager, lead, outsider)
