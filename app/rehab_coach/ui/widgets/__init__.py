"""Reusable widgets of the coaching screens."""
