"""The kiosk's framing check in Chinese, offscreen by touch: the guide says which side to turn, and a
tap starts the set anyway."""

from __future__ import annotations

from pathlib import Path

import pytest
from framing_streams import clip_stream
from kiosk_fixtures import tap


@pytest.mark.parametrize("kiosk_reps", [5])
def test_the_kiosk_shows_the_check_in_chinese_and_a_tap_skips_it(qtbot, tmp_path: Path, kiosk) -> None:  # type: ignore[no-untyped-def]
    window = kiosk(clip_stream(tmp_path / "front.jsonl", ("front", 4)), speed=2.0, language="zh", framing_check=True)
    tap(window.checkin.buttons[0])
    qtbot.waitUntil(lambda: bool(window.program.buttons))
    tap(window.program.buttons[0])
    tap(window.instructions.start_button)
    assert window.controller.session.state == "framing"
    video = window.live.video
    qtbot.waitUntil(lambda: video.guide is not None and video.guide.title == "请把左侧身体转向摄像头")
    assert video.guide.detail == "请侧身站立，侧面对着摄像头" and window.live.banner.text == "取景检查"
    assert window.live.skip_framing_button.text() == "立即开始"
    tap(window.live.skip_framing_button)
    qtbot.waitUntil(lambda: window.controller.session.state == "running")
