"""What contacts tells the apps built on it, without knowing them.

`observation_saved` is sent with `contact_id` inside the transaction that created or changed
an observation; gestures connects its rescan to it in gestures/apps.py, recorded in the
outbox with the observation and sent once it commits (never for one that rolls back).

`observation_deleting` is sent with `observation` inside the transaction that deletes it,
before it goes: privacy removes the suggestions' quotes of it, whichever version they quote.

`contacts_merging` is sent with `keep` and `other` inside the merge's transaction, before the
rows of `other` move to `keep`: gestures settles the suggestions both have for the same
occasion (the unique key allows one) and rescans the kept contact after the commit.
"""

from django.dispatch import Signal

observation_saved = Signal()
observation_deleting = Signal()
contacts_merging = Signal()
