"""Rehab Coach: real-time coaching of rehabilitation exercises."""

__version__ = "0.1.0"
