"""The one place that answers "may this user see / change this object"."""

from types import SimpleNamespace

from contacts.permissions import may_change, may_view


def owned(team, owner=None, author=None):
    return SimpleNamespace(
        team_id=team.pk,
        owner_id=owner.pk if owner else None,
        author_id=author.pk if author else None,
    )


def test_account_managers_see_their_team_and_change_what_they_own(manager, colleague, team):
    mine, theirs = owned(team, owner=manager), owned(team, owner=colleague)

    assert may_view(manager, mine) and may_change(manager, mine)
    assert may_view(manager, theirs) and not may_change(manager, theirs)


def test_authors_change_their_own_records(manager, colleague, team):
    assert may_change(manager, owned(team, author=manager))
    assert not may_change(colleague, owned(team, author=manager))


def test_team_leads_change_anything_of_their_team(lead, colleague, team):
    assert may_change(lead, owned(team, owner=colleague))


def test_nobody_but_admins_sees_another_team(manager, lead, admin_user, outsider, other_team):
    foreign = owned(other_team, owner=outsider)

    assert not may_view(manager, foreign) and not may_change(manager, foreign)
    assert not may_view(lead, foreign) and not may_change(lead, foreign)
    assert may_view(admin_user, foreign) and may_change(admin_user, foreign)


def test_a_team_is_seen_by_its_members_and_changed_by_its_lead(manager, lead, team, other_team):
    assert may_view(manager, team) and not may_change(manager, team)
    assert may_change(lead, team)
    assert not may_view(lead, other_team)


def test_inactive_users_see_nothing(manager, team):
    manager.is_active = False

    assert not may_view(manager, owned(team, owner=manager))
