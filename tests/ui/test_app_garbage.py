"""Reference cycles are collected on the GUI thread only: a worker thread never destroys a Qt object."""

from __future__ import annotations

import gc
import threading
import weakref

from rehab_coach.ui.app import application


class _Node:
    def __init__(self) -> None:
        self.me = self  # a reference cycle: only the garbage collector frees it


def test_cycles_are_collected_by_the_gui_thread_not_by_a_worker(qtbot):
    application()
    assert not gc.isenabled()  # no collection wherever an allocation happens to trigger one
    collected_on: list[str] = []

    def note(phase: str, info: dict[str, int]) -> None:
        if phase == "stop":
            collected_on.append(threading.current_thread().name)

    gc.callbacks.append(note)
    try:
        node = _Node()
        gone = weakref.ref(node)
        del node
        # A worker allocating as the store's reads do: with automatic collection this would collect here.
        worker = threading.Thread(target=lambda: [[] for _ in range(50_000)], name="store-read")
        worker.start()
        worker.join()
        assert gone() is not None and "store-read" not in collected_on
        garbage = [[] for _ in range(5_000)]  # past the first generation's threshold
        qtbot.waitUntil(lambda: gone() is None)
        assert set(collected_on) == {threading.main_thread().name}
        del garbage
    finally:
        gc.callbacks.remove(note)
