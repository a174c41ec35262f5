"""The therapist's PDF report and its charts, drawn with Qt's painting classes but no widgets.

Both the `export` command and the therapist screens use it.
"""
