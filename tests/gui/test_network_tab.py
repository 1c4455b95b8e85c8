"""The Network tab: presets, summary, feature maps equal to model.activations, refused architectures."""

from __future__ import annotations

import numpy as np
import pytest

from engine.training import softmax_rows
from gui.models.network import layer_outputs
from gui.tabs.network import NetworkTab
from gui.widgets.net_editor import generate_configs


@pytest.fixture
def tab(qtbot):
    t = NetworkTab()
    qtbot.addWidget(t)
    t.resize(1300, 850)
    t.show()
    qtbot.waitUntil(lambda: t._maps_ready, timeout=60000)
    yield t
    t.shutdown()


def run_job(qtbot, tab, fn):
    box = []
    tab.session.run(fn, box.append, lambda m: box.append(RuntimeError(m)))
    qtbot.waitUntil(lambda: bool(box), timeout=30000)
    assert not isinstance(box[0], Exception), box[0]
    return box[0]


def test_default_preset_summary_matches_the_engine(qtbot, tab):
    info = tab.session.info
    assert [r[1] for r in info.rows] == [
        "Conv2D",
        "MaxPooling2D",
        "Conv2D",
        "MaxPooling2D",
        "Flatten",
        "Dense",
    ]
    # 3x3x1x16 + 16, 3x3x16x32 + 32, 1568x10 + 10: counted by hand
    assert info.total_params == 160 + 4640 + 15690
    assert tab.summary.rowCount() == 6
    assert tab.summary.item(4, 1).text() == "(None, 1568)"
    assert tab.summary.item(5, 2).text() == "15,690"


def test_summary_counts_follow_the_language(qtbot, tab):
    """English groups digits with commas; French with a narrow no-break space (and words change too)."""
    import re

    from PySide6.QtWidgets import QApplication

    from gui import i18n

    qapp = QApplication.instance()
    i18n.install(qapp, "fr")
    try:
        qtbot.waitUntil(lambda: tab.message.text().startswith("Modèle prêt"), timeout=5000)
        assert re.fullmatch("15[\u202f\u00a0 ]690", tab.summary.item(5, 2).text())
        assert re.search("20[\u202f\u00a0 ]490 paramètres", tab.message.text()), tab.message.text()
        assert "," not in tab.totals.text()
    finally:
        i18n.install(qapp, "en")
    qtbot.waitUntil(lambda: tab.message.text() == "Model ready: 6 layers, 20,490 parameters.", timeout=5000)
    assert tab.totals.text() == "Total params: 20,490 - trainable: 20,490 - non-trainable: 0"
    tab.message.setText("an error the user has not read yet")
    i18n.install(qapp, "fr")
    try:
        qtbot.waitUntil(lambda: tab.totals.text().startswith("Paramètres"), timeout=5000)
        assert tab.message.text() == "an error the user has not read yet"  # a language switch keeps it
    finally:
        i18n.install(qapp, "en")


def test_feature_map_grid_equals_model_activations(qtbot, tab):
    image = tab._image
    expected = run_job(
        qtbot, tab, lambda: [(n, a.copy()) for n, a in tab.session.model.activations(image[None])]
    )
    outputs = tab.maps.outputs
    assert [o.name for o in outputs] == [n for n, _ in expected]
    for o, (_, a) in zip(outputs, expected, strict=False):
        np.testing.assert_array_equal(o.array, a[0])
    conv = tab.maps.grids[0]
    assert conv is not None and conv.count() == 16  # one tile per map of the first conv layer
    probs = tab.maps.bars.probabilities()
    np.testing.assert_allclose(probs, softmax_rows(expected[-1][1])[0])
    assert probs.sum() == pytest.approx(1.0)


def test_first_conv_map_is_relu_of_a_hand_computed_convolution(qtbot, tab):
    out = tab.maps.outputs[0]
    img = tab._image[:, :, 0]  # (28, 28)
    k, b = out.kernel[:, :, 0, 5], out.bias[5]  # (3, 3)
    padded = np.pad(img, 1)
    z = np.array([[np.sum(padded[i : i + 3, j : j + 3] * k) for j in range(28)] for i in range(28)]) + b
    np.testing.assert_allclose(out.array[:, :, 5], np.maximum(z, 0), atol=1e-5)


def test_refused_architecture_shows_a_message_and_keeps_the_previous_model(qtbot, tab):
    before = tab.session.info
    model_before = tab.session.model
    tab.table.set_configs(
        generate_configs(5, 4, 3, 16, 10)
    )  # 28 -> 14 -> 7 -> 3 -> 1 -> pooling 1x1: impossible
    with qtbot.waitSignal(tab.session.modelRefused, timeout=30000) as blocker:
        tab.build_btn.click()
    assert "MaxPooling2D" in blocker.args[0] and "max_pooling2d_4" in blocker.args[0]
    assert "previous model is kept" in tab.message.text() and "max_pooling2d_4" in tab.message.text()
    assert tab.session.info is before and tab.session.model is model_before
    assert tab.summary.rowCount() == len(before.rows)


def test_generated_network_builds_and_maps_follow(qtbot, tab):
    tab.gen_layers.setValue(1)
    tab.gen_filters.setValue(4)
    tab.gen_units.setValue(0)
    tab.generate.click()
    assert tab.preset.currentData() == "custom"
    with qtbot.waitSignal(tab.session.modelChanged, timeout=30000):
        tab.build_btn.click()
    assert [r[1] for r in tab.session.info.rows] == ["Conv2D", "MaxPooling2D", "Flatten", "Dense"]
    qtbot.waitUntil(lambda: tab._maps_ready and len(tab.maps.outputs) == 4, timeout=30000)
    assert tab.maps.grids[0].count() == 4


def test_click_opens_the_map_with_its_filter(qtbot, tab):
    dlg = tab.open_map(0, 2)
    qtbot.addWidget(dlg)
    assert dlg.filter_grid is not None and dlg.filter_grid.count() == 1  # one input channel


def test_drawing_pad_predicts_the_drawing(qtbot, tab):
    dlg = tab.open_draw_pad()
    pad = dlg.pad
    for y in range(6, 22):
        pad.stamp(14.0, float(y))
    tab.set_image(pad.image.copy(), "drawing")
    qtbot.waitUntil(lambda: tab._maps_ready, timeout=30000)
    np.testing.assert_array_equal(tab.maps.outputs[0].array.shape, (28, 28, 16))
    assert tab._image[:, :, 0].max() == pytest.approx(1.0) and tab._image[14, 14, 0] == pytest.approx(1.0)
    dlg.close()


def test_save_then_load_gives_the_same_outputs(qtbot, tab, tmp_path):
    path = str(tmp_path / "m.npz")
    tab.save_model(path)
    qtbot.waitUntil(lambda: "saved" in tab.message.text(), timeout=30000)
    before = [o.array.copy() for o in tab.maps.outputs]
    with qtbot.waitSignal(tab.session.modelChanged, timeout=30000):
        tab.load_model(path)
    qtbot.waitUntil(lambda: tab._maps_ready, timeout=30000)
    after = run_job(qtbot, tab, lambda: layer_outputs(tab.session.model, tab._image))
    for a, b in zip(before, after, strict=False):
        np.testing.assert_allclose(a, b.array, rtol=1e-6)


# ------------------------------------------------------------------------------------------ backprop view
def test_backprop_tab_steps_the_backward_window(qtbot):
    from gui.tabs.backprop import BackpropTab

    bp = BackpropTab()
    qtbot.addWidget(bp)
    bp.resize(1300, 800)
    bp.show()
    try:
        _step_backprop(qtbot, bp)
    finally:
        bp.shutdown()


def _step_backprop(qtbot, bp):
    qtbot.waitUntil(lambda: bp.session.info is not None, timeout=60000)
    bp.compute()
    qtbot.waitUntil(bp.ready, timeout=60000)
    assert bp.walk is not None and bp.walk.positions == 28 * 28
    assert "equal the engine" in bp.check.text()
    bp.next_btn.click()
    bp.next_btn.click()
    assert bp.slider.value() == 2 and "(0, 2)" in bp.formula.text()
    bp.out_channel.setValue(3)
    assert bp.walk.filter == 3 and bp.slider.value() == 0
    bp.end_btn.click()
    np.testing.assert_allclose(
        bp.walk.dw_partial(bp.slider.value()), bp.snapshot.engine_dw[:, :, 0, 3], rtol=1e-4, atol=1e-6
    )


def test_build_is_disabled_while_the_model_trains(qtbot, tab):
    from gui.workers import TrainingPlan

    s = tab.session
    d = s.data
    plan = TrainingPlan(
        model=s.model,
        x_train=d.x_train[:64],
        y_train=d.y_train[:64],
        x_val=d.x_val[:32],
        y_val=d.y_val[:32],
        batch_size=32,
        epochs=50,
    )
    with qtbot.waitSignal(s.worker.stateChanged, timeout=30000):
        s.worker.start_training(plan)
    assert not tab.build_btn.isEnabled() and not tab.open_btn.isEnabled()
    with qtbot.waitSignal(s.worker.trainingFinished, timeout=30000):
        s.worker.stop()
    assert tab.build_btn.isEnabled()
