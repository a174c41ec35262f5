"""The live plots: the angle plot keeps the last seconds, quality bars mark partial reps, a torso-length axis reads in torso lengths."""

from __future__ import annotations

from rehab_coach.engine.types import RepResult
from rehab_coach.ui.widgets.plots import AnglePlot, QualityBars


def test_angle_plot_keeps_the_last_seconds() -> None:
    plot = AnglePlot(window_seconds=10)
    plot.add_samples([(t / 10, 150.0) for t in range(150)])  # 15 s
    plot.add_samples([(15.0, float("nan"))])  # unseen frames leave a gap, not a line to zero
    x, y = plot.curve.getData()
    assert plot.received == 151 and x[-1] == 0 and x[0] >= -10
    assert plot.visible_samples == len(y) - 1


def test_quality_bars_mark_partial_reps() -> None:
    def rep(index: int, complete: bool) -> RepResult:
        return RepResult(index, 0, 1, complete, None, 50, 100, 170, 70.0, {}, {}, [])

    bars = QualityBars()
    bars.set_reps([rep(1, True), rep(2, False)])
    labels = [label.toPlainText() for label in bars._labels]
    assert labels == ["70", "P"]
    bars.set_reps([])
    assert bars.bars is None and not bars._labels


def test_a_torso_length_plot_labels_its_axis_in_torso_lengths(qapp) -> None:  # type: ignore[no-untyped-def]
    """pyqtgraph's SI prefix scaled 0.04-0.18 by 1000: the heel-raise axis read -100 to 300."""
    from rehab_coach.engine.templates import load_template_by_id
    from rehab_coach.engine.units import primary_units
    from rehab_coach.ui.therapist.theme import themed_plot
    from rehab_coach.ui.widgets.plots import AnglePlot

    template = load_template_by_id("heel_raise")
    live = AnglePlot()
    live.set_thresholds(template.primary, primary_units(template))
    therapist = themed_plot()
    therapist.plot([0.0, 0.5, 1.0], [0.04, 0.16, 0.05])
    for plot in (live, therapist):
        plot.resize(600, 200)
        plot.show()
        qapp.processEvents()
        axis = plot.getAxis("left")
        low, high = plot.viewRange()[1]
        spacing, values = axis.tickValues(low, high, 200)[0]
        labels = [float(text) for text in axis.tickStrings(values, axis.autoSIPrefixScale, spacing)]
        assert labels and all(-0.5 < value < 0.5 for value in labels), labels
    assert "torso length" in live.getAxis("left").labelText
