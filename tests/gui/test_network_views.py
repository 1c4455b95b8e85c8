"""The Network tab's views (pytest-qt, offscreen): each follows the image, the shift and the model; the
numbers they show are checked against NumPy and engine.explain."""

from __future__ import annotations

import json
import time

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication

from engine import explain
from gui.models.data import LabData
from gui.tabs.network import NetworkTab
from gui.widgets.net_detail import CellDetailDialog, MapDetailDialog


def wait(cond, timeout: float = 120.0) -> None:
    """Turn the event loop until ``cond()`` (the engine thread answers through queued signals)."""
    app = QApplication.instance()
    deadline = time.monotonic() + timeout
    while not cond():
        assert time.monotonic() < deadline, "timed out"
        app.processEvents()
        time.sleep(0.005)


def run_job(tab, fn):
    box = []
    tab.session.run(fn, box.append, lambda m: box.append(RuntimeError(m)))
    wait(lambda: bool(box))
    assert not isinstance(box[0], Exception), box[0]
    return box[0]


def show(tab, name):
    tab.show_view(name)
    view = tab._current_net_view()
    wait(lambda: view.is_ready() and tab._maps_ready)
    return view


def mouse(widget, kind, pos: QPointF) -> None:
    button = Qt.MouseButton.LeftButton if kind == QEvent.Type.MouseButtonPress else Qt.MouseButton.NoButton
    buttons = Qt.MouseButton.LeftButton if kind == QEvent.Type.MouseButtonPress else Qt.MouseButton.NoButton
    event = QMouseEvent(kind, pos, widget.mapToGlobal(pos), button, buttons, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, event)


@pytest.fixture(scope="module")
def tab(qapp):
    """One tab with ``zoo.small`` trained one epoch on 2,000 digits by the tab's own one-click training."""
    t = NetworkTab()
    t.resize(1400, 860)
    t.show()
    wait(lambda: t._maps_ready)
    t.show_view("invariance")
    assert t.banner.isVisible()  # untrained: the view offers to train it
    assert t.train_quick()
    wait(lambda: t._quick is None and t.session.trained)
    assert not t.banner.isVisible()
    yield t
    t.shutdown()
    t.close()
    t.deleteLater()


# ------------------------------------------------------------------------------------------------ softmax
def test_softmax_numbers_equal_a_numpy_softmax_of_the_logits(tab):
    logits = run_job(tab, lambda: tab.session.model.predict(tab._image[None])[0].astype(np.float64))
    wait(lambda: tab._maps_ready)
    s = tab.softmax.steps
    np.testing.assert_allclose(s.logits, logits, rtol=1e-6)
    np.testing.assert_allclose(s.exps, np.exp(logits), rtol=1e-6)
    assert s.total == pytest.approx(float(np.exp(logits).sum()), rel=1e-6)
    np.testing.assert_allclose(s.probabilities, np.exp(logits) / np.exp(logits).sum(), rtol=1e-6)
    np.testing.assert_allclose(tab.softmax.probabilities(), s.probabilities, rtol=1e-5)
    assert tab.softmax.arithmetic_shown()
    tall = tab.softmax.height()
    tab.input.arithmetic.setChecked(False)
    assert not tab.softmax.arithmetic_shown() and tab.softmax.height() < tall
    tab.input.arithmetic.setChecked(True)
    # the bars sit beside the input, in view, not below the fold
    bars = tab.softmax.mapTo(tab, tab.softmax.rect().bottomLeft())
    assert bars.y() < tab.height()


# ------------------------------------------------------------------------------------------------ overview
def test_overview_hover_highlights_exactly_receptive_box(tab):
    view = show(tab, "overview")
    canvas = view.canvas
    model = tab.session.model
    for layer, channel, i, j in ((2, 5, 3, 4), (3, 9, 6, 6), (0, 1, 0, 0), (1, 15, 13, 0)):
        mouse(canvas, QEvent.Type.MouseMove, canvas.cell_center(layer, channel, i, j))
        assert canvas.hovered == (layer, channel, i, j)
        by_layer = {d.layer: d for d in canvas.highlight}
        assert by_layer[-1].box == explain.receptive_box(model, layer, i, j, clip=True)
        assert sorted(by_layer) == list(range(-1, layer))
    # conv2d_1 (3, 4): the pooled maps' rows 2..4, the first conv's rows 4..9 (worked by hand), all channels
    mouse(canvas, QEvent.Type.MouseMove, canvas.cell_center(2, 5, 3, 4))
    by_layer = {d.layer: d for d in canvas.highlight}
    assert by_layer[1].box == (2, 3, 5, 6) and by_layer[0].box == (4, 6, 10, 12)
    assert "depends on" in view.info.text() and "8x8" in view.info.text()
    # a Flatten value: one cell of one map (NHWC: index 100 = position 3, channel 4 of 32)
    mouse(canvas, QEvent.Type.MouseMove, canvas.cell_center(4, 100))
    assert canvas.hovered == (4, 100, 0, 0)
    assert canvas.highlight[0].layer == 3 and canvas.highlight[0].channels == frozenset([4])
    assert canvas.highlight[0].box == (0, 3, 1, 4)
    mouse(canvas, QEvent.Type.MouseMove, QPointF(-50, -50))
    assert canvas.hovered is None and canvas.highlight == []


def test_overview_scale_switch_and_its_legend(tab):
    view = show(tab, "overview")
    canvas = view.canvas
    per_layer = [c.vmax for c in canvas.columns]
    assert per_layer == [float(np.abs(c.values).max()) or 1.0 for c in canvas.columns]
    view.one_scale.setChecked(True)
    top = canvas.global_vmax()
    assert all(c.vmax == top for c in canvas.columns) and view.legend.vmax == top
    view.per_layer.setChecked(True)
    assert view.legend.vmax is None


def test_overview_click_opens_the_detail_with_partial_maps_summing_to_the_map(tab):
    view = show(tab, "overview")
    canvas = view.canvas
    mouse(canvas, QEvent.Type.MouseButtonPress, canvas.cell_center(2, 5, 3, 4))
    dialogs = [d for d in tab.findChildren(MapDetailDialog) if d.isVisible()]
    assert len(dialogs) == 1
    dlg = dialogs[0]
    wait(dlg.ready)
    conv = view.outputs[2]
    pooled = view.outputs[1].array  # (14, 14, 16): the layer's input
    bias = float(conv.bias[5])
    # each partial map: one input channel correlated with its kernel slice, by hand ("same": 1 zero each side)
    for c in range(pooled.shape[2]):
        xp = np.pad(pooled[:, :, c].astype(np.float64), 1)
        k = conv.kernel[:, :, c, 5].astype(np.float64)
        ref = np.array([[np.sum(xp[i : i + 3, j : j + 3] * k) for j in range(14)] for i in range(14)])
        np.testing.assert_allclose(dlg.partials[c], ref, atol=1e-5)
    np.testing.assert_allclose(dlg.partials.astype(np.float64).sum(0) + bias, dlg.z, atol=1e-5)
    np.testing.assert_allclose(np.maximum(dlg.z, 0), conv.array[:, :, 5], atol=1e-5)
    assert dlg.arithmetic.value == pytest.approx(float(conv.array[3, 4, 5]), abs=1e-5)
    assert "within" in dlg.check.text()
    dlg.close()
    mouse(canvas, QEvent.Type.MouseButtonPress, canvas.cell_center(4, 100))
    cells = [d for d in tab.findChildren(CellDetailDialog) if d.isVisible()]
    assert len(cells) == 1 and "(0, 3)" in cells[0].body.text() and "map 4" in cells[0].body.text()
    cells[0].close()


# ------------------------------------------------------------------------------------------------ look
def test_look_follows_the_class_clicked_and_the_image(tab):
    view = show(tab, "saliency")
    first = view.result
    model = tab.session.model
    np.testing.assert_array_equal(first.saliency, explain.saliency(model, tab._image, first.predicted))
    assert first.class_index == first.predicted
    other = (first.predicted + 3) % 10
    row = tab.softmax.row_rect(other).center()
    mouse(tab.softmax, QEvent.Type.MouseButtonPress, row)
    assert tab.target_class() == other and tab.current_view() == "saliency"
    wait(lambda: view.is_ready() and view.result is not first)
    assert view.result.class_index == other
    np.testing.assert_array_equal(view.result.saliency, explain.saliency(model, tab._image, other))
    assert "your choice" in view.target.text()
    view.predicted_btn.click()
    assert tab.target_class() is None
    wait(lambda: view.is_ready() and view.result.class_index == view.result.predicted)
    before = view.result
    tab.image_index.setValue(tab.image_index.value() + 1)
    wait(lambda: view.is_ready() and view.result is not before)
    np.testing.assert_array_equal(
        view.result.saliency, explain.saliency(model, tab._image, view.result.predicted)
    )
    assert not np.array_equal(view.result.saliency, before.saliency)


# ------------------------------------------------------------------------------------------------ invariance
def test_invariance_follows_the_arrows_and_the_image(tab):
    view = show(tab, "invariance")
    view.set_shift(0, 0)
    wait(view.is_ready)
    assert all(row.changed == 0 for row in view.result.rows)
    for _ in range(6):  # clipped at 4 px; the button greys out
        view.buttons["right"].click()
    assert view.shift == (0, 4) and not view.buttons["right"].isEnabled()
    view.buttons["left"].click()
    view.buttons["down"].click()
    wait(lambda: view.is_ready() and view.result.shift == (1, 3))
    ref = explain.shift_response(tab.session.model, tab._image, [(1, 3)])[0]
    rows = {row.name: row for row in view.result.rows}
    for change in ref.layers:
        assert rows[change.name].changed == change.changed
        assert rows[change.name].relative == pytest.approx(change.relative_change)
    assert rows["input"].changed == int((explain.shift_image(tab._image, 1, 3) != tab._image).sum())
    assert view.result.predicted_after == ref.predicted
    before = view.result
    tab.image_index.setValue(tab.image_index.value() + 1)
    wait(lambda: view.is_ready() and view.result is not before)
    assert view.result.shift == (1, 3)
    assert not np.array_equal(view.result.shifted, before.shifted)
    # the trend over the validation set, drawn dashed on the same chart
    view.measure_btn.click()
    wait(lambda: view.curve.accuracy is not None)
    acc_x, _acc_y = view.curve.accuracy
    x_val, y_val = tab.session.data.x_val, tab.session.data.y_val
    pred = run_job(tab, lambda: tab.session.model.predict(x_val).argmax(1))
    assert acc_x[4] == pytest.approx(float((pred == y_val).mean()))  # shift 0
    assert "validation images" in view.accuracy_text.text()


# ------------------------------------------------------------------------------------------------ flatten
def test_flatten_head_refused_at_40_px_while_the_global_max_pooling_one_runs(tab):
    view = show(tab, "flatten")
    assert view.summaries["flatten"].vector_size == 3136 and view.summaries["gmp"].vector_size == 64
    assert "257,162" in view.boxes["flatten"].params.text() and "60,554" in view.boxes["gmp"].params.text()
    assert "Refused" not in view.boxes["flatten"].run.text()
    view.size_spin.setValue(40)
    wait(lambda: view.is_ready() and "flatten" in view.runs and view.runs["flatten"].error != "")
    refused, ran = view.runs["flatten"], view.runs["gmp"]
    assert refused.refused_at == "dense" and "6400" in refused.error
    assert "Refused at 40x40" in view.boxes["flatten"].run.text()
    assert ran.error == "" and ran.maps.shape == (10, 10, 64)
    assert ran.probabilities.sum() == pytest.approx(1.0)
    assert "runs, prediction" in view.boxes["gmp"].run.text()
    view.size_spin.setValue(28)
    wait(lambda: view.is_ready() and view.runs["flatten"].error == "")
    view.shift_slider.setValue(3)
    wait(lambda: view.is_ready() and "flatten" in view.shift_runs)
    assert "3 px" in view.boxes["gmp"].shift.text()


def test_train_both_same_batches_accuracy_and_time_side_by_side(tab):
    view = show(tab, "flatten")
    full = tab.session.data
    small = LabData(
        full.x_train[:96], full.y_train[:96], full.x_val[:60], full.y_val[:60], full.class_names, "sub"
    )
    tab.session.data = small
    try:
        view.epochs.setValue(1)
        view.train_btn.click()
        wait(lambda: not view.training and view.trainer is not None and view.trainer.done)
        wait(view.is_ready)
    finally:
        tab.session.data = full
    res = view.trainer.results
    for key in ("flatten", "gmp"):
        pred = run_job(tab, lambda key=key: view._pair[key].predict(small.x_val).argmax(1))
        assert res[key].accuracy == pytest.approx(float((pred == small.y_val).mean()))
        assert res[key].seconds > 0 and res[key].batches == 3
    text = view.verdict.text()
    assert f"{res['flatten'].accuracy:.1%}" in text and f"{res['gmp'].accuracy:.1%}" in text
    assert "noise" in text and "One run, one seed" in text


# ------------------------------------------------------------------------------------------------ layers
def test_hierarchy_shows_top_patches_per_channel_growing_layer_by_layer(tab):
    view = show(tab, "hierarchy")
    model, x_val = tab.session.model, tab.session.data.x_val
    assert [n for _, n, _ in view.layers] == ["conv2d", "conv2d_1"]
    assert view.data.name == "conv2d_1" and view.data.field.size_h == 8
    for ch in (0, 7, 31):
        # the view runs the images in other batch sizes: activations agree to float32 rounding
        shown, expected = view.data.channels[ch].patches, explain.top_patches(model, x_val, 2, ch, k=9)
        assert [(p.image_index, p.box) for p in shown] == [(p.image_index, p.box) for p in expected]
        np.testing.assert_allclose([p.activation for p in shown], [p.activation for p in expected], rtol=1e-5)
    assert "8x8" in view.info.text()
    view.select_layer(0)
    wait(lambda: view.is_ready() and view.data.name == "conv2d")
    assert view.data.field.size_h == 3 and len(view.data.channels) == 16
    assert view.data.channels[0].crops[0].shape == (3, 3, 1)
    assert view.data.channels[0].filter.shape == (3, 3, 1)
    summary_fields = [tab.summary.item(r, 3).text() for r in range(tab.summary.rowCount())]
    assert summary_fields[:4] == ["3x3", "4x4", "8x8", "10x10"]


# ------------------------------------------------------------------------------------------------ tab API
def test_lesson_hooks_views_and_state_roundtrip(tab):
    assert tab.show_lesson("flatten") and tab.current_view() == "flatten"
    assert tab.show_lesson("architecture") and tab.current_view() == "overview"
    assert tab.show_lesson("invariance") and tab.current_view() == "invariance"
    wait(tab.lesson_ready)
    assert not tab.show_lesson("padding") and tab.current_view() == "invariance"
    with pytest.raises(ValueError, match="view must be one of"):
        tab.show_view("nope")
    tab.show_view("saliency")
    tab.look.opacity.setValue(35)
    tab.invariance.set_shift(-2, 1)
    tab.flatten.size_spin.setValue(36)
    tab.overview.one_scale.setChecked(True)
    state = json.loads(json.dumps(tab.state()))
    assert state["view"] == "saliency" and state["views"]["invariance"]["shift"] == [-2, 1]
    tab.look.opacity.setValue(80)
    tab.invariance.set_shift(0, 0)
    tab.flatten.size_spin.setValue(28)
    tab.overview.per_layer.setChecked(True)
    tab.show_view("maps")
    tab.restore_state({**state, "unknown": 1})
    assert tab.current_view() == "saliency" and tab.look.opacity.value() == 35
    assert tab.invariance.shift == (-2, 1) and tab.flatten.size_spin.value() == 36
    assert tab.overview.canvas.scale_mode == "all"
    tab.restore_state({})  # missing keys keep the settings
    assert tab.look.opacity.value() == 35
    tab.flatten.size_spin.setValue(28)
    tab.invariance.set_shift(0, 0)


def test_set_input_image_fits_a_colour_image_and_every_view_follows(tab):
    view = show(tab, "saliency")
    before = view.result
    rgb = np.zeros((56, 40, 3), np.float32)
    rgb[10:46, 18:22, :] = 1.0  # a white vertical stroke on black
    tab.set_input_image(rgb, "stroke.png")
    assert tab._image.shape == (28, 28, 1) and tab._image.max() == pytest.approx(1.0, abs=0.01)
    assert "stroke.png" in tab.image_info.text()
    wait(lambda: view.is_ready() and view.result is not before)
    np.testing.assert_array_equal(
        view.result.saliency, explain.saliency(tab.session.model, tab._image, view.result.predicted)
    )


def test_overview_and_flatten_views_follow_the_image(tab):
    for name in ("overview", "flatten"):
        view = show(tab, name)
        image_before = tab._image.copy()
        if name == "overview":
            before = [c.values.copy() for c in view.canvas.columns]
        else:
            before = [view.runs["gmp"].vector.copy()]
        tab.image_index.setValue(tab.image_index.value() + 2)
        wait(lambda view=view: view.is_ready() and tab._maps_ready)
        assert not np.array_equal(tab._image, image_before)
        if name == "overview":
            np.testing.assert_array_equal(view.canvas.columns[0].values, tab._image)
            assert not np.array_equal(view.canvas.columns[1].values, before[1])
            np.testing.assert_allclose(view.outputs[-1].probabilities, tab.softmax.probabilities(), rtol=1e-6)
        else:
            assert not np.array_equal(view.runs["gmp"].vector, before[0])


def test_maps_caption_says_flatten_reads_nhwc():
    from gui.widgets.net_featuremaps import FeatureMapView

    view = FeatureMapView()
    from gui.models.network import LayerOutput

    title = view._title(4, LayerOutput("flatten", "Flatten", "", np.zeros(1568)), last=False)
    assert "NHWC" in title and "end to end" not in title


# ---------------------------------------------------------------------------------------------- model change
def test_views_follow_a_new_model(qapp):
    t = NetworkTab()
    t.resize(1400, 860)
    t.show()
    try:
        wait(lambda: t._maps_ready)
        view = show(t, "overview")
        assert len(view.canvas.columns) == 7  # input + the six layers of zoo.small
        inv = show(t, "invariance")
        assert len(inv.result.rows) == 7  # the input + six layers
        t.show_view("hierarchy")
        assert t.banner.isVisible()
        t.gen_layers.setValue(1)
        t.gen_filters.setValue(4)
        t.gen_units.setValue(0)
        t.generate.click()
        t.build_btn.click()
        wait(lambda: t.session.info is not None and len(t.session.info.rows) == 4)
        assert [n for _, n, _ in t.hierarchy.layers] == ["conv2d"]
        assert [t.look.layer.itemData(i) for i in range(t.look.layer.count())] == ["", "conv2d"]
        view = show(t, "overview")
        wait(lambda: len(view.canvas.columns) == 5)
        assert view.canvas.columns[1].values.shape == (28, 28, 4)
        inv = show(t, "invariance")
        assert t.banner.isVisible()  # a new model is untrained again
        names = [row.name for row in inv.result.rows]
        assert names == ["input", "conv2d", "max_pooling2d", "flatten", "dense"]
    finally:
        t.shutdown()
        t.close()


def test_lesson_views_show_a_trained_network_and_a_shift(qapp):
    """Show me on an untrained network: it is trained first (the overview's class scores and the input
    column's answer mean something), and the invariance section shows the lesson's one-pixel shift."""
    t = NetworkTab()
    t.resize(1400, 860)
    t.show()
    try:
        wait(lambda: t._maps_ready)
        assert not t.session.trained
        assert t.show_lesson("architecture") and t.current_view() == "overview"
        wait(t.lesson_ready)
        assert t.session.trained and not t.banner.isVisible()
        assert t.invariance.shift == (0, 0)
        assert t.show_lesson("invariance") and t.invariance.shift == (0, 1)
        wait(t.lesson_ready)
        rows = t.invariance.result.rows
        assert t.invariance.result.shift == (0, 1) and rows[0].changed > 0  # the input moved
        t.invariance.set_shift(2, 0)  # a shift the learner chose is kept
        assert t.show_lesson("invariance") and t.invariance.shift == (2, 0)
    finally:
        t.shutdown()
        t.close()
