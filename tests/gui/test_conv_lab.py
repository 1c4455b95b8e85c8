"""The convolution lab of issue 14: colour (RGB) stepping, comparisons that compare, Train both, the lesson
contract (show_lesson, lesson state) and the snags a learner hits.

References are independent of what the views draw: :func:`engine.ops.conv2d` (and plain NumPy loops), direct
counts, the colour map's own ends.
"""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QCoreApplication

from engine import filters, ops, sliding
from gui import i18n, samples
from gui.main_window import MainWindow
from gui.tabs.convolution_lesson import LESSON_SETUPS
from gui.widgets import colormaps
from gui.widgets.calc_panel import sign_colour

pytestmark = pytest.mark.gui


@pytest.fixture
def win(qtbot):
    w = MainWindow(dialogs=False)
    qtbot.addWidget(w)
    w.resize(1400, 900)
    w.show()
    tab = w.tab("convolution")
    qtbot.waitUntil(lambda: w.kernels_ready() and tab.screenshot_ready(), timeout=120_000)
    yield w
    w.close()


def settle(qtbot, tab) -> None:
    qtbot.waitUntil(tab.lesson_ready, timeout=60_000)


def colour_image(rng, h=6, w=7) -> np.ndarray:
    return rng.random((h, w, 3)).astype(np.float32)


def use_rgb(qtbot, tab, image) -> None:
    tab.set_image(image, "test.png")
    tab.controls.set_channel("rgb")
    settle(qtbot, tab)


# ---------------------------------------------------------------------------------------------- colour
@pytest.mark.parametrize("padding", ["valid", "same"])
def test_rgb_step_partial_sums_plus_bias_equal_conv2d_at_every_position(win, qtbot, rng, padding):
    tab = win.tab("convolution")
    image = colour_image(rng)
    use_rgb(qtbot, tab, image)
    assert tab.rgb_mode() and tab.editor.depth() == 3 and tab.page.calc.depth() == 3
    kernel = rng.standard_normal((3, 3, 3)).astype(np.float32).round(1)
    tab.set_kernel(kernel)
    tab.editor.set_bias(-0.5)
    tab.controls.set_padding(padding)
    settle(qtbot, tab)
    engine_map = ops.conv2d(image, kernel[:, :, :, None], [-0.5], padding=padding)[:, :, 0]  # (OH, OW)
    oh, ow = engine_map.shape
    for pos in range(1, oh * ow + 1):
        tab.page.stepper.set_position(pos)
        w = tab.page.calc.shown_window()
        r, c = divmod(pos - 1, ow)
        assert (w.row, w.col) == (r, c)
        parts = w.channel_sums()
        np.testing.assert_allclose(parts.sum() + w.bias, engine_map[r, c], atol=1e-5)
        np.testing.assert_allclose(tab.page.fmap_panel.view.values()[r, c], engine_map[r, c], atol=1e-5)
        # the panel writes each channel's sum and the total as the lesson writes sums
        for ch in range(3):
            assert tab.page.calc.channel_text(ch) == sliding.format_channel_sum(w, ch)
        assert tab.page.calc.formula_text().endswith("= " + sliding.format_number(float(engine_map[r, c])))
    # the three partial maps beside the feature map: each channel with its own slice, no bias
    tab.page.stepper.jump_to_end()
    for ch, panel in enumerate(tab.page.partial_panels):
        single = ops.conv2d(image[:, :, ch], kernel[:, :, ch], padding=padding)
        np.testing.assert_allclose(panel.view.values(), single, atol=1e-5)
    assert tab.page.partials_box.isVisible()
    # the input is shown in colour, padding included
    assert tab.page.input_panel.view.values().shape[2] == 3


def test_rgb_filter_editor_slices_and_presets(win, qtbot, rng):
    tab = win.tab("convolution")
    use_rgb(qtbot, tab, colour_image(rng))
    ed = tab.editor
    line = filters.get_preset("horizontal_line")
    for ch in range(3):  # switching to RGB puts the current filter in every slice
        np.testing.assert_array_equal(ed.kernel()[:, :, ch], line)
    ed.set_apply_target("slice")
    ed.select_slice(1)
    ed.set_preset("sobel_x")
    k = ed.kernel()
    np.testing.assert_array_equal(k[:, :, 1], filters.get_preset("sobel_x"))
    np.testing.assert_array_equal(k[:, :, 0], line)
    assert ed.preset_names() == ["horizontal_line", "sobel_x", "horizontal_line"]
    assert ed.preset.currentData() == "sobel_x"
    ed.select_slice(2)
    assert ed.preset.currentData() == "horizontal_line"
    ed.table.item(0, 0).setText("5")  # editing a slice makes it custom, the others keep their names
    assert ed.kernel()[0, 0, 2] == 5 and ed.preset_names() == ["horizontal_line", "sobel_x", None]
    ed.set_apply_target("all")
    ed.set_preset("laplacian")
    assert ed.preset_names() == ["laplacian"] * 3
    settle(qtbot, tab)
    tab.controls.set_channel("green")  # back to one plane: the slice on screen is kept
    settle(qtbot, tab)
    assert ed.depth() == 1 and ed.kernel().shape == (3, 3) and not tab.page.partials_box.isVisible()


def test_rgb_mode_is_offered_on_colour_images_only(win, qtbot):
    tab = win.tab("convolution")
    tab.load_sample("digit")
    settle(qtbot, tab)
    assert not tab.controls.channel.isEnabled()
    tab.controls.set_channel("rgb")  # kept as a choice, but a grey image has one plane
    settle(qtbot, tab)
    assert not tab.rgb_mode() and tab.editor.depth() == 1
    tab.load_sample("astronaut")
    settle(qtbot, tab)
    assert tab.controls.channel.isEnabled() and tab.rgb_mode()
    assert tab.page.input_panel.view.values().shape == (64, 64, 3)


# ------------------------------------------------------------------------------------------ comparisons
def drawn_width(view) -> float:
    rows, cols = view.grid_shape()
    return view.cell_rect(0, 0, rows, cols).width()


def test_padding_page_draws_sizes_in_the_ratio_of_the_outputs(win, qtbot):
    tab = win.tab("convolution")
    tab.show_lesson("padding")
    tab.load_sample("digit")
    settle(qtbot, tab)
    page = tab.padding_page
    qtbot.waitUntil(page.isVisible, timeout=5000)
    widths = {m: drawn_width(page.panels[m].view) for m in page.MODES}
    assert {m: page.panels[m].view.grid_shape()[1] for m in page.MODES} == {
        "valid": 26,
        "same": 28,
        "full": 30,
    }
    for m, n in (("valid", 26), ("same", 28), ("full", 30)):
        assert widths[m] / widths["full"] == pytest.approx(n / 30, rel=1e-6)
    assert drawn_width(page.input_panel.view) / widths["full"] == pytest.approx(28 / 30, rel=1e-6)
    # one colour scale, one colour bar
    ranges = {page.panels[m].view.value_range() for m in page.MODES}
    assert len(ranges) == 1 and page.colorbar.labels()[0] != ""
    assert all(page.panels[m].colorbar is None for m in page.MODES)
    # coverage: how many outputs read each pixel, against a direct count
    for mode, panel in page.coverage_panels.items():
        pads = {"valid": 0, "same": 1, "full": 2}[mode]
        direct = np.zeros((28 + 2 * pads, 28 + 2 * pads))
        n = 28 + 2 * pads - 2
        for i in range(n):
            for j in range(n):
                direct[i : i + 3, j : j + 3] += 1
        np.testing.assert_array_equal(panel.view.values(), direct[pads : pads + 28, pads : pads + 28])
    assert "corner 1×, edge 3×, centre 9×" in page.coverage_panels["valid"].caption.text()


def test_pool_vs_stride_page_honours_the_pooling_settings_and_draws_to_scale(win, qtbot):
    tab = win.tab("convolution")
    tab.show_lesson("stride")
    settle(qtbot, tab)
    page = tab.pool_page
    qtbot.waitUntil(page.isVisible, timeout=5000)
    conv, pooled = page.panels["conv"].view, page.panels["pooled"].view
    assert conv.grid_shape() == (26, 26) and pooled.grid_shape() == (13, 13)
    assert drawn_width(pooled) / drawn_width(conv) == pytest.approx(0.5, rel=1e-6)
    c = tab.controls
    c.pool_size.setValue(3)
    c.pool_stride.setValue(3)
    c.pool_mode.setCurrentIndex(c.pool_mode.findData("avg"))
    settle(qtbot, tab)
    relu = np.maximum(ops.conv2d(samples.load_sample("digit"), filters.get_preset("horizontal_line")), 0)
    expected = ops.pool2d(relu, 3, stride=3, mode="avg")  # (8, 8)
    np.testing.assert_allclose(pooled.values(), expected, atol=1e-5)
    strided = np.maximum(
        ops.conv2d(samples.load_sample("digit"), filters.get_preset("horizontal_line"), stride=3), 0
    )
    np.testing.assert_allclose(page.panels["strided"].view.values(), strided, atol=1e-5)
    assert drawn_width(pooled) / drawn_width(conv) == pytest.approx(8 / 26, rel=1e-6)
    assert "3 × 3, stride 3" in page.panels["pooled"].title.text()
    assert len({page.panels[k].view.value_range() for k in page.KEYS}) == 1


def test_train_both_trains_two_networks_with_the_same_seed_and_data(win, qtbot):
    tab = win.tab("convolution")
    tab.show_lesson("stride")
    settle(qtbot, tab)
    tb = tab.pool_page.train_both
    tb.n_train = 480  # 15 batches per epoch: a few engine jobs
    tb.epochs.setValue(1)
    tb.seeds.setValue(2)
    values: list[int] = []
    tb.progress.valueChanged.connect(values.append)
    with qtbot.waitSignal(tb.finished, timeout=120_000):
        assert tb.start()
        assert tb.button.text() == "Cancel" and not tb.epochs.isEnabled()
    assert len(values) > 2 and values == sorted(values) and values[-1] == 1000  # progress shown
    race = tb.race
    assert race is not None and [r.seed for r in tb.results] == [0, 1]
    for seed, (pool, strided) in race.models.items():
        assert [type(layer).__name__ for layer in pool.layers] == [
            "Conv2D",
            "MaxPooling2D",
            "Flatten",
            "Dense",
        ]
        assert [type(layer).__name__ for layer in strided.layers] == ["Conv2D", "Flatten", "Dense"]
        assert strided.layers[0].strides == (2, 2) and pool.layers[1].strides == (2, 2)
        assert race.settings.seeds[seed] == seed
    assert tb.table.item(0, 0).text() == tb.table.item(0, 1).text() == i18n.format_int(13610)
    assert tb.table.item(1, 0).text().endswith("%") and tb.table.item(3, 1).text().endswith("s")
    verdict = tb.verdict_text()
    assert "Measured over 2 seeds" in verdict and tb.verdict.text() == verdict
    assert tb.button.text() == "Train both" and tb.button.isEnabled()


def test_train_both_can_be_cancelled(win, qtbot):
    tab = win.tab("convolution")
    tb = tab.pool_page.train_both
    tb.epochs.setValue(3)
    with qtbot.waitSignal(tb.finished, timeout=60_000):
        assert tb.start()
        tb.cancel()
    assert not tb.is_running() and tb.results == [] and "Stopped" in tb.status.text()
    assert tb.progress.value() < 1000


# -------------------------------------------------------------------------------------- lesson contract
def test_show_lesson_sets_up_each_section(win, qtbot):
    tab = win.tab("convolution")
    assert not tab.show_lesson("layers") and not tab.show_lesson("training")
    for section in ("convolution", "channels", "relu", "pooling", "padding", "stride"):
        assert tab.show_lesson(section)
        settle(qtbot, tab)
        setup = LESSON_SETUPS[section]
        s = tab.controls.settings()
        assert tab.lab.sample_key == setup.sample and s.channel == setup.channel and s.padding == "valid"
        assert tab.editor.preset_names()[0] == "horizontal_line" and tab.editor.bias() == 0.0
        assert tab.pages.currentIndex() == ("step", "padding", "stride").index(setup.page)
    # the claim of each section is on screen
    tab.show_lesson("convolution")
    settle(qtbot, tab)
    assert tab.page.calc.formula_text() == "0*-1 + 0*-1 + 0*-1 + 1*2 + 1*2 + 1*2 + 0*-1 + 0*-1 + 0*-1 = 6"
    tab.show_lesson("channels")
    settle(qtbot, tab)
    assert tab.rgb_mode() and tab.page.partials_box.isVisible()
    conv = tab.lab.result["conv"]
    w = tab.page.calc.shown_window()
    assert abs(conv[w.row, w.col]) == pytest.approx(np.abs(conv).max())  # the strongest response
    tab.show_lesson("relu")
    settle(qtbot, tab)
    assert (
        np.nanmin(tab.page.fmap_panel.view.values()) < 0 and np.nanmin(tab.page.relu_panel.view.values()) == 0
    )
    conv = tab.lab.result["conv"]
    r, c = np.unravel_index(conv.argmin(), conv.shape)  # the most negative response, shown going through ReLU
    assert tab.lab.hover == ("relu", r, c)
    assert tab.page.calc.shown_window().sum == pytest.approx(conv.min(), abs=1e-5)
    assert f"max(0, {sliding.format_number(float(conv.min()))})" in tab.page.relu_panel.caption.text()
    tab.show_lesson("pooling")
    settle(qtbot, tab)
    total = len(tab.lab.pool_walk)
    assert tab.page.pool_stepper.position() == total // 2 == tab.pool_position()
    assert tab.page.stepper.position() == tab.page.stepper.total()  # the convolution done first
    assert tab.page.pool_formula.text().startswith("<span")


def test_lesson_state_round_trips_every_setting(win, qtbot, tmp_path):
    tab = win.tab("convolution")
    tab.load_sample("coffee")
    tab.controls.set_channel("rgb")
    settle(qtbot, tab)
    ed = tab.editor
    ed.set_apply_target("slice")
    ed.select_slice(2)
    ed.set_preset("sobel_y")
    ed.set_bias(0.25)
    tab.controls.set_padding(1)
    tab.controls.pool_size.setValue(3)
    tab.page.skip_zero.setChecked(True)
    tab.pool_page.train_both.epochs.setValue(4)
    tab.pool_page.train_both.seeds.setValue(2)
    settle(qtbot, tab)
    tab.page.stepper.set_position(40)
    tab.pages.setCurrentIndex(2)
    kernel = ed.kernel()
    before = tab.state()
    path = tmp_path / "lesson.json"
    assert win.save_state(str(path))
    tab.show_lesson("relu")  # change everything
    settle(qtbot, tab)
    assert win.open_state(str(path))
    settle(qtbot, tab)
    after = tab.state()
    assert after == before
    np.testing.assert_array_equal(ed.kernel(), kernel)
    assert tab.rgb_mode() and ed.current_slice() == 2 and ed.preset.currentData() == "sobel_y"
    assert tab.page.stepper.position() == 40 and tab.pages.currentIndex() == 2
    assert tab.page.skip_zero.isChecked() and tab.pool_page.train_both.epochs.value() == 4


def test_a_restored_preset_filter_shows_its_name(win, qtbot):
    tab = win.tab("convolution")
    tab.restore_state({"sample": "cross", "kernel": filters.get_preset("sobel_x").tolist()})
    settle(qtbot, tab)
    assert tab.editor.preset_name() == "sobel_x"
    assert tab.editor.preset.currentText() == "Sobel x (vertical edges)"
    edited = filters.get_preset("sobel_x")
    edited[0, 0] = 7
    tab.restore_state({"kernel": edited.tolist()})
    assert tab.editor.preset_name() is None


def test_pooling_stepper_mid_way_round_trips(win, qtbot):
    tab = win.tab("convolution")
    tab.show_lesson("pooling")
    settle(qtbot, tab)
    state = tab.state()
    assert state["pool_step"] == len(tab.lab.pool_walk) // 2
    tab.page.stepper.set_position(0)
    assert tab.pool_position() is None
    tab.restore_state(state)
    settle(qtbot, tab)
    assert tab.pool_position() == state["pool_step"]


# ------------------------------------------------------------------------------------------------ snags
def test_the_written_sum_is_coloured_by_its_sign_and_rounded_like_the_header(win, qtbot):
    tab = win.tab("convolution")
    tab.load_sample("line")
    tab.editor.set_kernel(-filters.get_preset("horizontal_line") * 2.0573)
    settle(qtbot, tab)
    tab.page.stepper.set_position(1)
    value = -6 * 2.0573  # -12.3438
    text = sliding.format_number(value)
    assert text == "-12.34"
    assert f"color: {sign_colour(value)};'>{text}</span>" in tab.page.calc.formula.text()
    assert sign_colour(value) == "#{:02x}{:02x}{:02x}".format(*colormaps.LUTS["diverging"][0])
    assert f">{text}</span>" in tab.page.calc.title.text()  # the header writes the same number
    tab.editor.set_kernel(filters.get_preset("horizontal_line"))
    settle(qtbot, tab)
    tab.page.stepper.set_position(1)
    assert f"color: {sign_colour(6.0)};'>6</span>" in tab.page.calc.formula.text()
    assert sign_colour(6.0) == "#{:02x}{:02x}{:02x}".format(*colormaps.LUTS["diverging"][-1])


def test_step_zero_shows_where_the_filter_starts_and_the_pooling_stepper_counts(win, qtbot):
    tab = win.tab("convolution")
    tab.show_lesson("relu")
    settle(qtbot, tab)
    tab.page.input_panel.view.hoverLeft.emit()  # the lesson's hovered cell, gone with the mouse
    tab.page.stepper.set_position(0)
    (first,) = tab.page.input_panel.view.highlights()
    assert (first.top, first.left, first.rows, first.cols, first.dashed) == (0, 0, 3, 3, True)
    assert tab.page.pool_stepper.position_label.text() == "0/169"  # nothing pooled before the convolution
    tab.page.stepper.set_position(2 * 26)  # two rows computed: the first 13 pooled cells are known
    assert tab.page.pool_stepper.position_label.text() == "13/169"
    tab.page.stepper.jump_to_end()
    assert tab.page.pool_stepper.position_label.text() == "169/169"
    tab.page.pool_stepper.reset()  # stepping the pooling window: its own walk from 0
    tab.page.pool_stepper.step_forward()
    assert tab.pool_position() == 1 and tab.page.pool_stepper.position_label.text() == "1/169"


def test_hovering_relu_and_pooled_cells_shows_their_window_and_value(win, qtbot):
    tab = win.tab("convolution")
    tab.show_lesson("relu")
    settle(qtbot, tab)
    v = tab.page
    relu = tab.lab.result["relu"]
    conv = tab.lab.result["conv"]
    v.relu_panel.view.cellHovered.emit(5, 7)
    assert (5, 7, 3, 3) in [(h.top, h.left, h.rows, h.cols) for h in v.input_panel.view.highlights()]
    assert (5, 7) in [(h.top, h.left) for h in v.relu_panel.view.highlights()]
    caption = v.relu_panel.caption.text()
    assert f"max(0, {sliding.format_number(float(conv[5, 7]))})" in caption
    assert sliding.format_number(float(relu[5, 7])) in caption
    v.pool_panel.view.cellHovered.emit(2, 3)
    block = relu[4:6, 6:8]
    assert (4, 6, 2, 2) in [(h.top, h.left, h.rows, h.cols) for h in v.relu_panel.view.highlights()]
    assert v.pool_formula.text().endswith(f"= <b>{colormaps_value(block.max())}</b></span>")
    assert (2, 3) in [(h.top, h.left) for h in v.pool_panel.view.highlights()]
    v.pool_panel.view.hoverLeft.emit()
    assert tab.lab.hover is None


def colormaps_value(x: float) -> str:
    from gui.widgets.grid_view import format_value

    return format_value(float(x))


def test_play_skips_all_zero_windows_only_when_asked(win, qtbot):
    tab = win.tab("convolution")
    tab.show_lesson("relu")
    settle(qtbot, tab)
    st = tab.page.stepper
    st.set_position(0)
    st.step_forward()
    assert st.position() == 1  # by default every window is a step
    st.set_position(0)
    tab.page.skip_zero.setChecked(True)
    st.step_forward()
    walk = tab.lab.walk
    first = next(i for i in range(walk.total) if walk[i].patch.any())  # direct check of the windows
    assert st.position() == first + 1 and walk[first].patch.any()
    st.step_forward()
    assert walk[st.position() - 1].patch.any()
    st.play()
    qtbot.waitUntil(lambda: st.position() > first + 4, timeout=10_000)
    st.pause()
    assert walk[st.position() - 1].patch.any()


def test_hatching_is_announced_only_where_zeros_are_added(win, qtbot):
    tab = win.tab("convolution")
    tab.load_sample("cross")
    settle(qtbot, tab)
    assert "hatched" not in tab.page.input_panel.caption.text()
    assert "no padding" in tab.page.input_panel.caption.text()
    tab.controls.set_padding("same")
    settle(qtbot, tab)
    assert "(hatched: the zeros added)" in tab.page.input_panel.caption.text()


def test_sizes_are_written_height_by_width_and_plurals_are_words(win, qtbot):
    tab = win.tab("convolution")
    tab.set_image(np.full((6, 10), 0.5, np.float32), "wide.png")
    settle(qtbot, tab)
    assert "6 × 10 pixels (H × W)" in tab.controls.image_info.text()
    assert "<b>Output: 4 × 8</b>" in tab.controls.output_info.text()
    assert "4 × 8" in tab.page.fmap_panel.caption.text()
    st = tab.page.stepper
    st.speed.setValue(1)
    assert st.speed_label.text() == "Speed: 1 step/s"
    st.speed.setValue(5)
    assert st.speed_label.text() == "Speed: 5 steps/s"
    photo = samples.load_sample("chelsea")
    tab.load_sample("chelsea")
    settle(qtbot, tab)
    h, w = photo.shape[:2]
    assert f"{h} × {w} × 3 pixels" in tab.controls.image_info.text() and h != w


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("section", ["channels", "pooling", "padding", "stride"])
def test_nothing_overflows_at_1024_by_700(win, qtbot, lang, section):
    win.resize(1024, 700)
    win.switch_language(lang)
    try:
        tab = win.select_tab("convolution")
        tab.show_lesson(section)
        settle(qtbot, tab)
        for _ in range(5):
            QCoreApplication.processEvents()
        holder = win._holder(tab)
        assert not holder.verticalScrollBar().isVisible() and not holder.horizontalScrollBar().isVisible()
    finally:
        win.switch_language("en")


def test_french_lab_catalog_terms():
    from PySide6.QtWidgets import QApplication

    ts = (i18n.catalog_dir() / "lab_fr.ts").read_text(encoding="utf-8")
    assert 'type="unfinished"' not in ts and "bourrage" not in ts.lower()
    assert any(p.name == "lab_fr.qm" for p in i18n.catalogs("fr"))

    app = QApplication.instance()
    i18n.install(app, "fr")
    try:
        tr = QCoreApplication.translate
        assert tr("ConvControls", "Padding") == "Remplissage (padding)"  # the house term, as everywhere
        assert "remplissage (padding)" in tr("ConvolutionTab", "Padding: valid / same / full").lower()
        assert tr("TrainBoth", "Test accuracy") == "Exactitude (test)"
        assert tr("Stepper", "Speed: {0} steps/s") == "Vitesse : {0} étapes/s"
        assert tr("CalcPanel", "Red") == "Rouge"
    finally:
        i18n.install(app, "en")


# ------------------------------------------------------------------------------------------- --channel
def test_channel_option_selects_the_plane_for_screenshots(win, qtbot, tmp_path, capsys):
    from argparse import Namespace

    from gui import app

    parser = app.build_parser()
    assert parser.parse_args(["--channel", "rgb"]).channel == "rgb"
    assert parser.parse_args([]).channel is None
    assert app.main(["--channel", "cyan"]) == 2
    assert "--channel" in capsys.readouterr().err
    tab = win.tab("convolution")
    tab.load_sample("chelsea")
    for option, channel in (
        ("rgb", "rgb"),
        ("r", "red"),
        ("g", "green"),
        ("b", "blue"),
        ("luminance", "luminance"),
    ):
        tab.prepare_screenshot(Namespace(channel=option, filter=None, steps=3))
        settle(qtbot, tab)
        assert tab.controls.settings().channel == channel and tab.page.stepper.position() == 3
        assert tab.rgb_mode() == (channel == "rgb")
    out = tmp_path / "rgb.png"
    from engine import config

    path = str(config.assets_dir() / "images" / "chelsea.png")  # a shipped photo, opened in RGB mode
    assert app.main(["--screenshot", str(out), "--image", path, "--channel", "rgb", "--steps", "50"]) == 0
    assert out.stat().st_size > 10_000
    i18n.install(QCoreApplication.instance(), "en")


def test_a_state_whose_filter_does_not_fit_leaves_the_tab_ready(win, qtbot):
    tab = win.tab("convolution")
    tab.restore_state({"sample": "line", "kernel": np.ones((5, 5)).tolist(), "pool_step": 2})
    assert tab.lab.walk is None and "larger than the padded" in tab.lab.walk_error
    qtbot.waitUntil(tab.lesson_ready, timeout=10_000)
    assert tab.page.stepper.total() == 0
