"""Every page of the app for the browser walks at phone size (no sideways scrolling, axe):
the list of pages, who opens each, and the data they show. `test_every_page_is_walked`
fails when a named route answers a full HTML page to GET and is missing here."""

from django.test import Client
from django.urls import reverse

from tests.relcrm.app_walk import route_kwargs, routes, team_world_create

PASSWORD = "correct horse battery staple"
EVERYONE = ("manager", "lead", "admin_user")
LEADS = ("lead", "admin_user")

# Route name -> the roles that open it. The sign-in page is walked signed out.
PAGES: dict[str, tuple[str, ...]] = {
    "home": EVERYONE,
    "dashboard": EVERYONE,
    "contact_list": EVERYONE,
    "contact_create": EVERYONE,
    "contact_detail": EVERYONE,
    "contact_edit": EVERYONE,
    "contact_import_new": EVERYONE,
    "contact_duplicates": LEADS,
    "contact_erase": LEADS,
    "observation_new": EVERYONE,
    "observation_edit": EVERYONE,
    # A note's card: the walk's suggestion is a gift (404); tests/e2e/test_note_draft.py
    # opens a card.
    "suggestion_card_print": (),
    # The page an action's form opens as without JavaScript (HTMX loads it into the card).
    "suggestion_action_form": EVERYONE,
    "catalog": EVERYONE,
    "catalog_item": EVERYONE,
    "calendar_feed": EVERYONE,
    "review": EVERYONE,
    "team_overview": LEADS,
    "team": LEADS,
    "team_due": LEADS,
    "team_out_of_touch": LEADS,
    "gift_ledger": LEADS,
    "api_tokens": EVERYONE,
    "two_factor_setup": EVERYONE,
    "two_factor_verify": (),  # only asked for with two-factor sign-in on; walked in its tests
    "login": (),
}


def world_create(*, manager, lead, outsider):
    world = team_world_create(manager, lead, outsider)
    return world


def page_urls(world, role: str) -> list[tuple[str, str]]:
    """(route name, URL) of every page `role` opens."""
    converters = dict(routes())
    return [
        (name, reverse(name, kwargs=route_kwargs(name, converters[name], world)))
        for name, roles in PAGES.items()
        if role in roles
    ]


def html_pages(world, user) -> set[str]:
    """The named routes that answer `user`'s GET with a whole HTML page."""
    client = Client()
    client.force_login(user)
    found = set()
    for name, converters in routes():
        kwargs = route_kwargs(name, converters, world)
        if kwargs is None:
            continue
        response = client.get(reverse(name, kwargs=kwargs))
        if response.status_code != 200 or response.streaming:
            continue
        if response["Content-Type"].startswith("text/html") and b"<html" in response.content:
            found.add(name)
    return found


def signed_in_page(browser, base_url: str, username: str | None, *, bypass_csp: bool = False):
    """A page at 390 x 844, signed in as `username` (signed out for None)."""
    context = browser.new_context(
        base_url=base_url, viewport={"width": 390, "height": 844}, bypass_csp=bypass_csp
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    if username is not None:
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**/")
    return page
