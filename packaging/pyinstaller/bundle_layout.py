"""What goes into the frozen Rehab Coach folder, and where.

Plain Python on purpose (no PyInstaller import): `rehab-coach.spec` builds its
Analysis from these lists and `tests/test_packaging.py` checks them without a build.

Where things land inside the bundle (`dist/rehab-coach/_internal/`, which is
`sys._MEIPASS` at run time):

    rehab_coach/exercises/   the repo's exercises/ (paths.exercises_dir() looks next to
    rehab_coach/assets/      the repo's assets/     the frozen rehab_coach package first)
    rehab_coach/**           non-Python package files and the .py files that are run or
                             loaded by path (alembic migrations, the model-tools worker)
    mediapipe/modules/...    only the three files BlazePose Full needs

The frozen `rehab_coach/paths.py` has `__file__ == <_MEIPASS>/rehab_coach/paths.pyc`,
so `_PACKAGE_DIR / "exercises"` is the folder above: no frozen-specific code is needed.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
APP_SRC = REPO / "app"
PACKAGE_SRC = APP_SRC / "rehab_coach"
PACKAGE = "rehab_coach"

APP_NAME = "rehab-coach"
ENTRY_SCRIPT = Path(__file__).resolve().parent / "entry.py"
RUNTIME_HOOKS = [Path(__file__).resolve().parent / "rthooks" / "pyi_rth_rehab_coach.py"]
ICON_DIR = REPO / "assets" / "icons"

# Repo folders shipped as package data: (folder in the repo, destination in the bundle).
REPO_DATA_TREES: tuple[tuple[str, str], ...] = (
    ("exercises", "rehab_coach/exercises"),
    ("assets", "rehab_coach/assets"),
    ("build/demos", "rehab_coach/demos"),  # made by build_app.sh (scripts/make_demos.py)
    ("build/translations", "rehab_coach/ui/translations"),  # .qm compiled by build_app.sh (pyside6-lrelease)
)

# Python sources that are not imported but read or run by path, relative to app/rehab_coach.
# Alembic loads env.py and versions/*.py itself; the model-tools worker runs under another
# interpreter (the tools environment). They are copied as source next to the frozen modules.
PACKAGE_SOURCE_TREES: tuple[str, ...] = ("session/store/migrations",)
PACKAGE_SOURCE_FILES: tuple[str, ...] = ("models/tools_worker.py",)

# Modules never imported by the app: __main__ runs the CLI on import, the worker needs torch.
NOT_IMPORTED_MODULES: frozenset[str] = frozenset({"rehab_coach.__main__", "rehab_coach.models.tools_worker"})

# BlazePose Full as used by mediapipe.solutions.pose with model_complexity=1, relative to
# the mediapipe package. solution_base resolves them from the folder above `mediapipe/`.
MEDIAPIPE_POSE_FILES: tuple[str, ...] = (
    "modules/pose_landmark/pose_landmark_cpu.binarypb",
    "modules/pose_landmark/pose_landmark_full.tflite",
    "modules/pose_detection/pose_detection.tflite",
)

# Never bundled. torch/super-gradients live in the separate model-tools environment;
# jax, scipy and sounddevice are mediapipe dependencies that BlazePose never imports;
# matplotlib is only used by mediapipe's drawing_utils.plot_landmarks (a runtime hook
# gives mediapipe a stand-in so `import mediapipe` still works without it).
EXCLUDES: tuple[str, ...] = (
    "rehab_synth",  # the development motion generator (synth/): the demonstrations it makes are data
    "torch",
    "torchvision",
    "torchaudio",
    "super_gradients",
    "jax",
    "jaxlib",
    "matplotlib",
    "scipy",
    "sounddevice",
    "_sounddevice_data",
    "sentencepiece",
    "mediapipe.model_maker",
    "onnxruntime.transformers",
    "onnxruntime.quantization",
    "onnxruntime.tools",
    "tkinter",
    "_tkinter",
    "IPython",
    "pytest",
    "_pytest",
    "pyqtgraph.examples",
    "pyqtgraph.opengl",
    "PySide6.QtWebEngineCore",
    "PySide6.QtWebEngineWidgets",
    "PySide6.QtWebEngineQuick",
    "PySide6.Qt3DCore",
    "PySide6.Qt3DRender",
)

# Collected by PyInstaller's Qt hooks but left out of the folder (fnmatch on the path inside
# _internal). The GTK3 platform theme drags in the build host's GTK stack (cairo, pango,
# harfbuzz ...), which would then be mixed with the target's own GTK at run time; Qt falls
# back to its built-in Fusion look without it. The libraries listed are used by nothing else
# (checked with readelf on the 6.12 wheels; check_built_app.sh re-checks that nothing in the
# folder needs a library that is neither bundled nor on the system).
PRUNED_BINARIES: tuple[str, ...] = (
    "PySide6/Qt/plugins/platformthemes/libqgtk3.so",
    "libatk-1.0.so.*",
    "libcairo.so.*",
    "libcairo-gobject.so.*",
    "libdatrie.so.*",
    "libfribidi.so.*",
    "libgdk_pixbuf-2.0.so.*",
    "libgraphite2.so.*",
    "libharfbuzz.so.*",
    "libjpeg.so.62*",
    "libpango-1.0.so.*",
    "libpangocairo-1.0.so.*",
    "libpangoft2-1.0.so.*",
    "libpixman-1.so.*",
    "libthai.so.*",
)

# Written into the bundle at build time: the modules the frozen self-test imports.
MODULE_LIST_NAME = "bundle-modules.txt"


def pruned(dest: str) -> bool:
    """True for a collected file that must not go into the folder."""
    from fnmatch import fnmatch

    dest = dest.replace("\\", "/")
    return any(fnmatch(dest, pattern) for pattern in PRUNED_BINARIES)


def app_version() -> str:
    """rehab_coach.__version__, read from the source without importing the package."""
    import re

    text = (PACKAGE_SRC / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r"^__version__\s*=\s*[\"']([^\"']+)[\"']", text, re.MULTILINE)
    if not match:
        raise RuntimeError("no __version__ in app/rehab_coach/__init__.py")
    return match.group(1)


def mediapipe_dir() -> Path:
    """The installed mediapipe package, found without importing it."""
    spec = importlib.util.find_spec("mediapipe")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("mediapipe is not installed in the build environment")
    return Path(next(iter(spec.submodule_search_locations)))


def _files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc")


def repo_data() -> list[tuple[str, str]]:
    """(source file, destination folder) for the exercise templates and assets."""
    out: list[tuple[str, str]] = []
    for folder, dest in REPO_DATA_TREES:
        root = REPO / folder
        if not root.is_dir():
            continue  # the demonstrations when the spec runs without build_app.sh: the cards go without
        for path in _files(root):
            if path.suffix == ".py":  # generator scripts (assets/icons/make_icons.py) stay in the repo
                continue
            out.append((str(path), str(Path(dest) / path.relative_to(root).parent)))
    return out


def package_data() -> list[tuple[str, str]]:
    """Non-Python files inside app/rehab_coach plus the sources loaded by path."""
    out: dict[str, str] = {}
    for path in _files(PACKAGE_SRC):
        if path.suffix != ".py":
            out[str(path)] = str(Path(PACKAGE) / path.relative_to(PACKAGE_SRC).parent)
    for tree in PACKAGE_SOURCE_TREES:
        for path in _files(PACKAGE_SRC / tree):
            out[str(path)] = str(Path(PACKAGE) / path.relative_to(PACKAGE_SRC).parent)
    for name in PACKAGE_SOURCE_FILES:
        path = PACKAGE_SRC / name
        if path.is_file():
            out[str(path)] = str(Path(PACKAGE) / path.relative_to(PACKAGE_SRC).parent)
    return sorted(out.items())


def missing_package_sources() -> list[str]:
    """Listed by-path sources that are not in the checkout (renamed or not written yet)."""
    missing = [t for t in PACKAGE_SOURCE_TREES if not (PACKAGE_SRC / t).is_dir()]
    missing += [f for f in PACKAGE_SOURCE_FILES if not (PACKAGE_SRC / f).is_file()]
    return missing


def mediapipe_data(mp_dir: Path | None = None) -> list[tuple[str, str]]:
    mp_dir = mp_dir or mediapipe_dir()
    out = []
    for rel in MEDIAPIPE_POSE_FILES:
        path = mp_dir / rel
        if not path.is_file():
            raise RuntimeError(f"mediapipe has no {rel}: is it mediapipe 0.10.21?")
        out.append((str(path), str(Path("mediapipe") / Path(rel).parent)))
    return out


def package_modules() -> list[str]:
    """Every importable rehab_coach module. The CLI imports its commands and the pose registry its
    backends with importlib, which PyInstaller cannot follow, so all of them are hidden imports.
    Sub-folders without __init__.py count too (namespace packages); the by-path source trees
    (migrations) do not: importing alembic's env.py would run a migration."""
    skip = {PACKAGE_SRC / tree for tree in PACKAGE_SOURCE_TREES}
    modules: list[str] = [PACKAGE]

    def walk(folder: Path, prefix: str) -> None:
        for path in sorted(folder.iterdir()):
            if path.is_dir():
                if path in skip or path.name == "__pycache__" or not path.name.isidentifier():
                    continue
                if (path / "__init__.py").is_file():
                    modules.append(f"{prefix}.{path.name}")
                walk(path, f"{prefix}.{path.name}")
            elif path.suffix == ".py" and path.name != "__init__.py" and path.stem.isidentifier():
                modules.append(f"{prefix}.{path.stem}")

    walk(PACKAGE_SRC, PACKAGE)
    return [m for m in modules if m not in NOT_IMPORTED_MODULES]
