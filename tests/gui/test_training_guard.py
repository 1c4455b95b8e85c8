"""The Training tab's safeguards on real runs: a diverging run (learning rate 10) is reported with a lower
rate to try, a normal one is not; earlier runs stay as faded curves."""

from __future__ import annotations

import pytest

from gui.tabs.training import TrainingTab


@pytest.fixture
def tab(qtbot):
    t = TrainingTab()
    qtbot.addWidget(t)
    t.resize(1200, 800)
    t.controls.n_train.setValue(960)
    t.controls.batch_size.setValue(32)
    t.controls.epochs.setValue(1)
    yield t
    t.shutdown()


def run(qtbot, tab, lr: float) -> None:
    tab.controls.learning_rate.setValue(lr)
    with qtbot.waitSignal(tab.session.worker.trainingFinished, timeout=180000) as blocker:
        tab.start("run")
    assert blocker.args == ["completed"]
    qtbot.wait(100)


def test_a_diverging_run_is_reported_with_a_lower_learning_rate(qtbot, tab):
    run(qtbot, tab, 10.0)
    kinds = [a.kind for a in tab.alert.alerts]
    assert kinds == ["diverging", "chance"]
    assert tab.alert.alerts[1].diverged
    assert not tab.alert.isHidden()
    text = tab.alert.text()
    assert "more than 10 times its start" in text and "try 1," in text  # 10 / 10
    assert "All of epoch 1 at chance" in text
    assert tab.status.text() == "Training finished."  # how the run ended, and the alert beside it


def test_a_normal_run_raises_nothing_and_the_earlier_run_stays_faded(qtbot, tab):
    run(qtbot, tab, 0.001)
    assert tab.alert.alerts == [] and tab.alert.isHidden()
    first = tab.curves.point_counts()["loss"]
    assert first == 30  # 960 images / 32
    with qtbot.waitSignal(tab.session.weightsChanged, timeout=30000):
        tab.reset()
    assert tab.curves.point_counts()["loss"] == 0
    assert len(tab.curves.earlier) == 1
    x, _y = tab.curves.earlier[0]["loss"].getData()
    assert len(x) == first
    run(qtbot, tab, 10.0)
    assert [a.kind for a in tab.alert.alerts][:1] == ["diverging"]
    run(qtbot, tab, 0.001)  # the collapsed weights stay stuck at chance even at a normal rate: said so
    assert [(a.kind, a.diverged) for a in tab.alert.alerts] == [("chance", False)]
    with qtbot.waitSignal(tab.session.weightsChanged, timeout=30000):
        tab.reset()
    run(qtbot, tab, 0.001)  # back to the initial weights: a new, normal run clears the alerts
    assert tab.alert.alerts == [] and tab.alert.isHidden()
    assert len(tab.curves.earlier) == 2
