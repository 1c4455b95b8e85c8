"""Convolution arithmetic in the lab (issue 16): the dilation control, the transposed mode, the arithmetic
page and ``--page``. References: engine.ops.conv2d(dilation=) and engine.ops.conv2d_transpose, and the guide's
output-size formulas written out here."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QCoreApplication

from engine import ops
from gui.main_window import MainWindow

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


def test_dilation_control_draws_the_taps_apart_and_the_sum_follows(win, qtbot):
    tab = win.tab("convolution")
    tab.load_sample("digit")
    tab.controls.dilation.setValue(2)
    settle(qtbot, tab)
    assert tab.lab.walk is not None and tab.lab.walk.out_hw == (24, 24)  # 28 - 2(3 - 1)
    want = ops.conv2d(tab.lab.params.plane, tab.editor.kernel(), dilation=2)
    tab.page.stepper.jump_to_end()
    np.testing.assert_allclose(tab.page.fmap_panel.view.values(), want, rtol=1e-5, atol=1e-5)
    tab.step_to_cell(10, 12)
    window = tab.page.calc.shown_window()
    assert (window.row, window.col) == (10, 12) and window.patch.shape == (3, 3)
    assert window.sum == pytest.approx(float(want[10, 12]), abs=1e-4)
    assert tab.page.calc.formula_text().count("*") == 9
    lights = tab.page.input_panel.view.highlights()
    spans = [h for h in lights if (h.rows, h.cols) == (5, 5)]
    taps = {(h.top, h.left) for h in lights if (h.rows, h.cols) == (1, 1) and h.fill}
    assert len(spans) == 1 and not spans[0].fill
    assert taps == {(10 + 2 * m, 12 + 2 * n) for m in range(3) for n in range(3)}
    text = tab.controls.output_info.text()
    assert "24 × 24" in text and "N - d(K - 1)" in text and "d(K - 1) + 1 = 5" in text


def test_transposed_mode_scatters_to_the_engine_result_and_writes_each_cell(win, qtbot):
    tab = win.tab("convolution")
    tab.load_sample("line")
    tab.controls.set_mode("transposed")
    tab.controls.stride.setValue(2)
    tab.editor.set_bias(0.5)
    settle(qtbot, tab)
    assert tab.step_stack.currentWidget() is tab.tpage and tab.tpage.isVisible()
    assert not tab.controls.pool_box.isEnabled()
    plane, kernel = tab.lab.params.plane, tab.editor.kernel()
    want = np.asarray(ops.conv2d_transpose(plane, kernel, np.array([0.5], np.float32), stride=2))
    assert want.shape == ((3 - 1) * 2 + 3,) * 2
    st = tab.tpage.stepper
    assert st.total() == 9
    st.set_position(st.total())
    np.testing.assert_allclose(tab.tpage.output_panel.view.values(), want, rtol=1e-5, atol=1e-5)
    # partial: after 4 scatters the canvas is the sum of the first four blocks (+ bias)
    st.set_position(4)
    partial = np.zeros((7, 7), np.float32)
    for i, j in ((0, 0), (0, 1), (0, 2), (1, 0)):
        partial[2 * i : 2 * i + 3, 2 * j : 2 * j + 3] += plane[i, j] * kernel
    np.testing.assert_allclose(tab.tpage.output_panel.view.values(), partial + 0.5, atol=1e-5)
    # hover an output cell: its written sum, with the contributions to come
    st.set_position(st.total())
    tab.hover("output", 2, 2)
    formula = tab.tpage.calc.formula.text()
    assert formula.count("*") == 4  # four input cells land on (2, 2) at stride 2 with K = 3
    value = float(formula.rsplit(">", 2)[-2].split("<")[0])
    assert value == pytest.approx(float(want[2, 2]), abs=0.01)
    assert "x[0,0]·w[2,2]" in tab.tpage.calc.sources.text()
    text = tab.controls.output_info.text()
    assert "7 × 7" in text and "s(N - 1) + K" in text
    # same padding: H s, the cut-off rim hatched
    tab.controls.set_padding("same")
    settle(qtbot, tab)
    tab.tpage.stepper.set_position(9)
    assert tab.lab.twalk.out_hw == (6, 6) and "sN" in tab.controls.output_info.text()
    want = np.asarray(
        ops.conv2d_transpose(plane, kernel, np.array([0.5], np.float32), stride=2, padding="same")
    )
    t, le = tab.lab.twalk.pads[0], tab.lab.twalk.pads[2]
    shown = tab.tpage.output_panel.view.values()
    np.testing.assert_allclose(shown[t : t + 6, le : le + 6], want, rtol=1e-5, atol=1e-5)
    # back to the convolution: the step page again, pooling offered
    tab.controls.set_mode("convolution")
    settle(qtbot, tab)
    assert tab.step_stack.currentWidget() is tab.page and tab.controls.pool_box.isEnabled()


def test_transposed_mode_on_a_colour_image_scatters_the_luminance(win, qtbot, rng):
    tab = win.tab("convolution")
    tab.set_image(rng.random((5, 6, 3)).astype(np.float32), "c.png")
    tab.controls.set_channel("rgb")
    tab.controls.set_mode("transposed")
    settle(qtbot, tab)
    assert not tab.rgb_mode() and tab.editor.depth() == 1 and tab.lab.params.plane.shape == (5, 6)


def test_state_keeps_mode_and_dilation(win, qtbot):
    tab = win.tab("convolution")
    tab.controls.dilation.setValue(2)
    tab.controls.set_mode("transposed")
    settle(qtbot, tab)
    state = tab.state()
    assert state["mode"] == "transposed" and state["dilation"] == 2
    tab.controls.set_mode("convolution")
    tab.controls.dilation.setValue(1)
    tab.restore_state(state)
    settle(qtbot, tab)
    assert tab.transposed() and tab.controls.dilation.value() == 2
    with pytest.raises(ValueError, match="mode"):
        tab.restore_state({"mode": "sideways"})


# ----------------------------------------------------------------------------------- the arithmetic page
def drawn_width(view) -> float:
    rows, cols = view.grid_shape()
    return view.cell_rect(0, 0, rows, cols).width()


GUIDE_SIZES = {  # the guide's output sizes, each from its formula written out here
    "no_padding": 4 - 3 + 1,
    "padding": 5 + 2 * 2 - 4 + 1,
    "half": 5,
    "full": 5 + 3 - 1,
    "stride": (5 - 3) // 2 + 1,
    "dilation": 7 - 2 * (3 - 1),
    "transposed": (2 - 1) * 2 + 3,
}


@pytest.mark.parametrize("size", [(1400, 900), (1024, 700)])
def test_arithmetic_page_draws_every_case_at_one_cell_size(win, qtbot, size):
    win.resize(*size)
    tab = win.select_tab("convolution")
    from gui.tabs import convolution_lesson

    convolution_lesson.show_page(tab, "arithmetic")
    page = tab.arith_page
    qtbot.waitUntil(page.isVisible, timeout=5000)
    assert page.output_sizes() == GUIDE_SIZES
    outputs = {k: drawn_width(b.output_view) for k, b in page.boxes.items()}
    inputs = {k: drawn_width(b.input_view) for k, b in page.boxes.items()}
    for key, n in GUIDE_SIZES.items():
        assert outputs[key] / outputs["full"] == pytest.approx(n / 7, rel=1e-6)
    padded = {k: b.input_view.grid_shape()[1] for k, b in page.boxes.items()}
    assert padded == {
        "no_padding": 4,
        "padding": 9,
        "half": 7,
        "full": 9,
        "stride": 5,
        "dilation": 7,
        "transposed": 2,
    }
    for key, n in padded.items():
        assert inputs[key] / inputs["full"] == pytest.approx(n / 9, rel=1e-6)
    # each output is the engine's (the page computes through ops, a check against the default tier)
    for box in page.boxes.values():
        c = box.case
        x = box.result.shown_input
        # the guide's Figure 1.1 kernel, tiled to the case's size (4 x 4 for the padding case)
        k = np.resize(np.array([[0, 1, 2], [2, 2, 0], [0, 1, 2]], np.float32), (c.k, c.k))
        if c.transposed:
            want = ops.conv2d_transpose(x, k, stride=c.stride, padding=c.padding)
        else:
            t, b, le, r = box.result.pads
            plain = x[t : x.shape[0] - b, le : x.shape[1] - r]
            want = ops.conv2d(plain, k, stride=c.stride, padding=c.padding, dilation=c.dilation)
        np.testing.assert_allclose(box.output_view.values(), want, rtol=1e-6)
        assert f"= {GUIDE_SIZES[c.key]}" in box.formula.text()
    for _ in range(5):
        QCoreApplication.processEvents()
    # nothing clipped: every text gets the height its width needs, every grid some room, inside the page
    for box in page.boxes.values():
        for label in (box.title, box.formula):
            assert label.height() >= label.heightForWidth(label.width()), (box.case.key, label.text())
        assert min(box.input_view.height(), box.output_view.height()) >= 40
        assert page.rect().contains(box.geometry())
    assert page.height() >= page.heightForWidth(page.width())


def test_page_option_reaches_the_arithmetic_page_and_the_transposed_mode(win, qtbot):
    from argparse import Namespace

    from gui import app
    from gui.tabs.convolution_lesson import PAGE_CHOICES

    assert app.CONV_PAGES == PAGE_CHOICES
    tab = win.select_tab("convolution")
    opts = Namespace(channel=None, filter=None, steps=None, page="arithmetic")
    tab.prepare_screenshot(opts)
    assert tab.pages.currentWidget() is tab.arith_page
    tab.prepare_screenshot(Namespace(channel=None, filter=None, steps=2, page="transposed"))
    settle(qtbot, tab)
    assert tab.pages.currentWidget() is tab.step_stack and tab.transposed()
    assert tab.tpage.stepper.position() == 2
    with pytest.raises(app.UsageError, match="--page needs --tab convolution"):
        app._check(app.build_parser().parse_args(["--tab", "network", "--page", "arithmetic"]))


def test_french_names_the_new_ideas_as_the_house_does(win, qtbot):
    from gui import i18n

    tab = win.tab("convolution")
    win.switch_language("fr")
    try:
        QCoreApplication.processEvents()  # the LanguageChange events reach every widget
        tr = QCoreApplication.translate
        assert tr("ConvControls", "Transposed convolution") == "Convolution transposée"
        assert tr("ConvControls", "Dilation") == "Dilatation"
        assert tr("LayerTable", "Dilation") == "Dilatation"
        assert "normalisation par lots (batch normalization)" in tr(
            "ArchitecturePanel", "The lesson's network with batch normalization"
        )
        assert tab.controls.mode.itemText(1) == "Convolution transposée"
        assert tab.pages.tabText(3) == "Arithmétique"
        assert "Remplissage (padding)" in tab.arith_page.boxes["padding"].title.text()
        assert "Pas (stride)" in tab.arith_page.boxes["stride"].title.text()
        assert any(p.name == "arith_fr.qm" for p in i18n.catalogs("fr"))
    finally:
        win.switch_language("en")
    QCoreApplication.processEvents()
    assert tab.pages.tabText(3) == "Convolution arithmetic"


def test_save_feature_map_in_transposed_mode_writes_the_transposed_output(win, qtbot, tmp_path):
    from PIL import Image

    tab = win.tab("convolution")
    tab.load_sample("line")
    tab.controls.set_mode("transposed")
    tab.controls.stride.setValue(2)
    settle(qtbot, tab)
    png = tmp_path / "up.png"
    assert tab.save_feature_map(str(png))
    with Image.open(png) as im:
        assert im.size == (7, 7)  # (3 - 1) 2 + 3


def test_a_padding_that_cuts_off_the_whole_scatter_is_explained(win, qtbot):
    tab = win.tab("convolution")
    tab.load_sample("line")
    tab.controls.set_mode("transposed")
    tab.controls.set_padding(3)  # (3 - 1) + 3 - 2 * 3 = -1 cells left
    settle(qtbot, tab)
    assert tab.lab.twalk is None and tab.tpage.stepper.total() == 0
    assert tab.last_message.startswith("Nothing to compute:") and "no output" in tab.last_message
    assert "Nothing to scatter" in tab.tpage.calc.title.text()
    assert "Output: none" in tab.controls.output_info.text()
    tab.controls.set_padding(1)  # (3 - 1) + 3 - 2 = 3
    settle(qtbot, tab)
    assert tab.lab.twalk is not None and tab.lab.twalk.out_hw == (3, 3)
    assert "N + K - 1 - 2P" in tab.controls.output_info.text()  # stride 1: (N - 1) + K - 2P
