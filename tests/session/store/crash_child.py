"""Run by test_store_crash.py as a separate process: records reps until it is killed.

    python crash_child.py DB_URL JOURNAL_DIR OFFLINE_AFTER

Prints "rep N" after each record_rep returned (so the parent knows it was committed, or
journaled when the database is "down" from rep OFFLINE_AFTER on; 0 = never down).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from store_helpers import Outage

from rehab_coach.session.store import SessionRecorder, Store
from rehab_coach.session.store.demo import SQUAT, synthetic_rep


def main() -> None:
    url, journal, offline_after = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
    store = Store(url, lock_timeout=0.5)
    outage = Outage(store)
    recorder = SessionRecorder(store, journal_folder=journal, retry_seconds=3600)
    uid = recorder.start_session("P-001", "squat")
    print(f"session {uid}", flush=True)
    index = 0
    while True:
        index += 1
        if index == offline_after:
            outage.down()
        recorder.record_rep(synthetic_rep(index, 3.0 * index, SQUAT, 100.0, 2.0, 70.0, []))
        print(f"rep {index}", flush=True)
        time.sleep(0.01)


if __name__ == "__main__":
    main()
