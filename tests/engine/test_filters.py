import numpy as np

from rehab_coach.engine.filters import FilterConfig, KeypointSmoother, OneEuroFilter


def _person(offset=0.0, conf=0.9):
    kp = np.zeros((17, 3))
    kp[:, 0] = np.arange(17) * 10 + 200 + offset
    kp[:, 1] = np.linspace(100, 600, 17)
    kp[:, 2] = conf
    return kp


def test_one_euro_reduces_jitter_on_a_still_point():
    rng = np.random.default_rng(0)
    f = OneEuroFilter((1,), FilterConfig())
    raw = 100 + rng.normal(0, 4, 300)
    out = np.array([f(np.array([x]), 1 / 30)[0] for x in raw])
    assert np.std(out[60:]) < 0.5 * np.std(raw[60:])


def test_one_euro_lag_matches_the_reported_figure():
    cfg = FilterConfig()
    f = OneEuroFilter((1,), cfg)
    fps, speed = 30.0, 300.0  # px/s ramp
    t = np.arange(0, 4, 1 / fps)
    out = np.array([f(np.array([speed * ti]), 1 / fps)[0] for ti in t])
    lag_ms = 1000 * np.mean((speed * t[60:] - out[60:]) / speed)
    assert 0 < lag_ms < cfg.rest_lag_ms
    assert abs(lag_ms - cfg.moving_lag_ms(speed)) < 0.5 * cfg.moving_lag_ms(speed) + 1000 / fps


def test_low_confidence_joints_are_missing_not_wild():
    s = KeypointSmoother()
    s(_person(), 0.0)
    kp = _person()
    kp[5] = [5000, 5000, 0.1]  # a wild position the model was not sure about
    for i in range(1, 20):
        out = s(kp, i / 30)
    assert np.isnan(out[5]).all()  # gone after the short gap, never at (5000, 5000)
    assert np.isfinite(out[6]).all()


def test_short_gap_is_bridged_long_gap_is_not():
    s = KeypointSmoother(FilterConfig(max_gap_seconds=0.3))
    for i in range(30):
        s(_person(), i / 30)
    kp = _person()
    kp[9, 2] = 0.0
    bridged = s(kp, 30 / 30)
    assert np.isfinite(bridged[9]).all()
    for i in range(31, 45):
        out = s(kp, i / 30)
    assert np.isnan(out[9]).all()


def test_one_frame_outlier_is_rejected_but_a_real_move_is_followed():
    s = KeypointSmoother()
    for i in range(30):
        s(_person(), i / 30)
    spike = _person()
    spike[13, :2] += 150
    out = s(spike, 1.0)
    assert abs(out[13, 0] - _person()[13, 0]) < 10
    s(_person(), 1.0 + 1 / 30)
    moved = _person(offset=150)
    for i in range(2, 30):
        out = s(moved, 1.0 + i / 30)
    assert abs(out[13, 0] - moved[13, 0]) < 5


def test_nobody_in_view_never_crashes():
    s = KeypointSmoother()
    for i in range(5):
        assert np.isnan(s(None, i / 30)).all()
    assert np.isfinite(s(_person(), 1.0)).all()
