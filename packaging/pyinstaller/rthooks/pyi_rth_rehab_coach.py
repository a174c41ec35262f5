"""Runtime hook of the frozen Rehab Coach (runs before entry.py).

mediapipe 0.10.21 imports matplotlib.pyplot at the top of solutions/drawing_utils.py,
which `import mediapipe` always loads, but only plot_landmarks() uses it. The bundle
leaves matplotlib out (tens of MB with its fonts), so register a stand-in: importing
works, and using it raises ModuleNotFoundError, which optional users such as
pyqtgraph's colormap helpers already handle. A real matplotlib, if ever bundled, wins.
"""


def _install_matplotlib_stand_in() -> None:
    import importlib.util
    import sys
    import types

    if "matplotlib" in sys.modules or importlib.util.find_spec("matplotlib") is not None:
        return

    def _missing(name: str):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        raise ModuleNotFoundError("matplotlib is not included in the Rehab Coach app bundle", name="matplotlib")

    parent = types.ModuleType("matplotlib", "Stand-in: matplotlib is not bundled.")
    pyplot = types.ModuleType("matplotlib.pyplot", "Stand-in: matplotlib is not bundled.")
    for module in (parent, pyplot):
        module.__getattr__ = _missing  # PEP 562: any other attribute access fails clearly
        module.__rehab_coach_stand_in__ = True
    parent.__path__ = []
    parent.pyplot = pyplot
    sys.modules["matplotlib"] = parent
    sys.modules["matplotlib.pyplot"] = pyplot


_install_matplotlib_stand_in()
del _install_matplotlib_stand_in
