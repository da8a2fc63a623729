"""relcrm as bench/dashboard.py serves it: its settings and URLs plus a hello view."""
