"""User-installed pose models: import (via the model-tools environment), registry, verification.

Nothing here imports torch or super-gradients: that happens only in `tools_worker.py`,
which runs with the tools environment's own Python.
"""
