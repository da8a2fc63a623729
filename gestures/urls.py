from django.urls import URLPattern, path

from .views import calendar, catalog, dashboard, outcomes
from .views import team as team_views

urlpatterns: list[URLPattern] = [
    path("gestures/", dashboard.dashboard, name="dashboard"),
    path("gestures/counters/", dashboard.dashboard_counters, name="dashboard_counters"),
    path("suggestions/<int:pk>/confirm/", dashboard.suggestion_confirm, name="suggestion_confirm"),
    path("suggestions/<int:pk>/dismiss/", dashboard.suggestion_dismiss, name="suggestion_dismiss"),
    path("suggestions/<int:pk>/snooze/", dashboard.suggestion_snooze, name="suggestion_snooze"),
    path("suggestions/<int:pk>/swap/", dashboard.suggestion_swap, name="suggestion_swap"),
    path("suggestions/<int:pk>/done/", dashboard.suggestion_done, name="suggestion_done"),
    path("suggestions/<int:pk>/undo/", dashboard.suggestion_undo, name="suggestion_undo"),
    path(
        "suggestions/<int:pk>/<slug:action>/form/",
        dashboard.suggestion_action_form,
        name="suggestion_action_form",
    ),
    path("suggestions/<int:pk>/draft/", dashboard.suggestion_draft, name="suggestion_draft"),
    path(
        "suggestions/<int:pk>/card/", dashboard.suggestion_card_print, name="suggestion_card_print"
    ),
    path("contacts/<int:pk>/gestures/log/", dashboard.gesture_log, name="gesture_log"),
    path("gestures/<int:pk>/outcome/", outcomes.outcome_record, name="outcome_record"),
    path("catalog/", catalog.catalog, name="catalog"),
    path("catalog/<int:pk>/", catalog.catalog_item, name="catalog_item"),
    path("calendar/", calendar.calendar_page, name="calendar_feed"),
    path("calendar/create/", calendar.calendar_feed_create_view, name="calendar_feed_create"),
    path("calendar/revoke/", calendar.calendar_feed_revoke_view, name="calendar_feed_revoke"),
    # Any token shape reaches the view, so that a wrong one is refused without being logged.
    path("calendar/<str:token>.ics", calendar.calendar_feed_ics, name="calendar_feed_ics"),
    # The team lead's pages (gestures.views.team).
    path("team/overview/", team_views.team_overview, name="team_overview"),
    path("team/due/", team_views.team_due_list, name="team_due"),
    path("team/out-of-touch/", team_views.team_out_of_touch_list, name="team_out_of_touch"),
    path("team/approvals/count/", team_views.approval_counter, name="team_approval_counter"),
    path(
        "team/approvals/<int:pk>/approve/",
        team_views.approval_approve,
        name="team_approval_approve",
    ),
    path(
        "team/approvals/<int:pk>/reject/", team_views.approval_reject, name="team_approval_reject"
    ),
    path("team/outcomes.csv", outcomes.team_outcomes_csv, name="team_outcomes_csv"),
    path("team/ledger/", team_views.gift_ledger, name="gift_ledger"),
    path("team/ledger.csv", team_views.gift_ledger_csv, name="gift_ledger_csv"),
]
