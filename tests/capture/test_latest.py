"""The latest-frame mailbox with real threads: the newest frame wins, the rest are counted as dropped."""

from __future__ import annotations

import threading
import time

from rehab_coach.capture.latest import LatestSlot


def test_latest_slot_overwrites_and_counts_drops() -> None:
    slot: LatestSlot[int] = LatestSlot()
    for i in range(5):
        slot.put(i)
    assert slot.get(timeout=0) == 4
    assert slot.dropped == 4
    assert slot.get(timeout=0.01) is None  # cleared by the get


def test_latest_slot_get_times_out() -> None:
    slot: LatestSlot[int] = LatestSlot()
    start = time.monotonic()
    assert slot.get(timeout=0.05) is None
    assert time.monotonic() - start >= 0.04  # it waited; a busy machine can only make it later


def test_latest_slot_wakes_a_waiting_consumer() -> None:
    slot: LatestSlot[str] = LatestSlot()
    got: list[str | None] = []
    consumer = threading.Thread(target=lambda: got.append(slot.get(timeout=5)))
    consumer.start()
    time.sleep(0.05)
    slot.put("frame")
    consumer.join(timeout=5)
    assert got == ["frame"]


def test_latest_slot_fast_producer_slow_consumer() -> None:
    slot: LatestSlot[int] = LatestSlot()
    produced = 2000
    received: list[int] = []

    def consume() -> None:
        while (item := slot.get(timeout=2)) is not None:
            received.append(item)
            time.sleep(0.001)  # slower than the producer: most frames must be dropped, none queued

    consumer = threading.Thread(target=consume)
    consumer.start()
    for i in range(produced):
        slot.put(i)
    deadline = time.monotonic() + 60  # a safety deadline: the consumer needs a fraction of a second
    while slot.delivered + slot.dropped < produced and time.monotonic() < deadline:
        time.sleep(0.005)  # let the consumer take the final item before closing
    slot.close()
    consumer.join(timeout=5)
    assert not consumer.is_alive()
    assert received, "the consumer got nothing"
    assert received[-1] == produced - 1  # the newest always wins
    assert all(a < b for a, b in zip(received, received[1:], strict=False))  # never an older one after a newer
    assert len(received) + slot.dropped == produced
    assert slot.delivered == len(received)


def test_latest_slot_close_releases_waiters() -> None:
    slot: LatestSlot[int] = LatestSlot()
    done = threading.Event()

    def wait() -> None:
        slot.get()  # no timeout: only close() can end this
        done.set()

    thread = threading.Thread(target=wait)
    thread.start()
    time.sleep(0.05)
    slot.close()
    assert done.wait(timeout=5)
    slot.put(1)  # ignored after close
    assert slot.get(timeout=0) is None and slot.closed
