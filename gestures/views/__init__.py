"""The pages of the gestures app, one module per topic: the catalog, the dashboard, the team
overview, the calendar feed."""
