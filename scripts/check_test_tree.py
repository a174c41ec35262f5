#!/usr/bin/env python3
"""The test tree mirrors the app: tests/<path>/test_<module>.py tests app/rehab_coach/<path>/<module>.py.

A test file may add a topic after the module's name (tests/session/store/test_store_journal.py tests
store.py's journal). A few tests are about the whole product, not one module (packaging, the
translations, the wheel, the development motion generator, the real display): they are listed in
CROSS_CUTTING with the reason. Every test file's name is also unique in the tree, as pytest needs
for test folders without __init__.py.

Exit 0 when the tree mirrors the app; 1 with one line per test file that does not (scripts/test.sh
runs this before pytest).
"""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
APP = REPO / "app" / "rehab_coach"
TESTS = REPO / "tests"

# Test files (relative to tests/) that test the product as a whole rather than one module.
CROSS_CUTTING = {
    "test_packaging.py": "the packaging files: .desktop entry, kiosk unit, install script, PyInstaller layout",
    "test_wheel.py": "the built wheel and what it ships",
    "test_translations.py": "both translation catalogues against the code",
    "test_synth.py": "the development motion generator (synth/), not part of the app",
    "test_gpu_check.py": "scripts/gpu_check.sh, the GPU machine's check",
    "ui/test_chinese_pages.py": "translations: the patient's screens walked in Chinese",
    "ui/test_chinese_staff_screens.py": "translations: the staff's screens walked in Chinese",
    "ui/test_chinese_leftovers.py": "translations: English left on Chinese pages",
    "ui/test_no_internal_ids.py": "every screen walked in both languages for internal ids",
    "ui/test_qt_binding.py": "the Qt binding the app pins (pyproject.toml)",
}
# Folders of tests/ that hold data or tests of files outside app/.
CROSS_CUTTING_DIRS = {
    "data": "committed test files",
    "exercises": "the exercise library (exercises/*.yaml) and broken templates",
}


def source_names(folder: Path) -> set[str]:
    """Module names of a source folder: its .py files (but __init__), not its packages."""
    return {p.stem for p in folder.glob("*.py") if p.stem != "__init__"}


def mirrors(test: Path) -> bool:
    """tests/<dir>/test_<name>.py where app/rehab_coach/<dir>/ has a module <name> or <prefix>, name = prefix_topic."""
    relative = test.relative_to(TESTS)
    name = test.stem.removeprefix("test_")
    modules = source_names(APP / relative.parent)
    return any(name == module or name.startswith(f"{module}_") for module in modules)


def problems() -> list[str]:
    found = []
    by_name: dict[str, list[Path]] = defaultdict(list)
    for test in sorted(TESTS.rglob("test_*.py")):
        relative = test.relative_to(TESTS)
        by_name[test.name].append(relative)
        if relative.parts[0] in CROSS_CUTTING_DIRS or relative.as_posix() in CROSS_CUTTING:
            continue
        if not mirrors(test):
            module = f"app/rehab_coach/{relative.parent.as_posix()}/<module>.py".replace("/./", "/")
            found.append(f"tests/{relative}: tests no module ({module}, test_<module>[_topic].py)")
    for name, places in by_name.items():
        if len(places) > 1:
            found.append(f"{name}: the same test file name in {', '.join(f'tests/{p}' for p in places)}")
    for listed in CROSS_CUTTING:
        if not (TESTS / listed).is_file():
            found.append(f"tests/{listed}: listed as cross-cutting in scripts/check_test_tree.py but not there")
    return found


def main() -> int:
    found = problems()
    for line in found:
        print(line)
    if found:
        print(f"{len(found)} test file(s) out of the tree: put tests/<path>/test_<module>.py beside the module's path")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
