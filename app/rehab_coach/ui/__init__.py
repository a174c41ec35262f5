"""The Qt desktop app: the only package that imports Qt.

Importing it first makes sure Python's `None` cannot be freed by a binding bug (below),
so every screen, test and later page (therapist, kiosk) is covered.
"""

from rehab_coach.ui._none_guard import guard_none

guard_none()
