"""Kiosk mode (`rehab-coach --kiosk`): an unattended, full-screen, touch-only check-in station.

Patients check in from today's list, see their program, exercise, and the kiosk returns to
check-in with nothing of them left on screen. Only the therapist PIN leads out of it.
See docs/kiosk.md.
"""

from rehab_coach.ui.kiosk.window import KioskWindow

__all__ = ["KioskWindow"]
