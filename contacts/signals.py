"""What contacts tells the apps built on it, without knowing them.

`observation_saved` is sent with `contact_id` after the transaction that created or changed
an observation commits (never for one that rolls back); gestures connects its rescan to it
in gestures/apps.py.
"""

from django.dispatch import Signal

observation_saved = Signal()
