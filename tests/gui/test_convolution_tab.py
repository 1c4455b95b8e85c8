"""The convolution lab: stepping shows engine values, settings update the views, bad files leave state intact.

Reference values are computed here with plain NumPy (zero-pad, slice, multiply, sum), independent of the
engine.
"""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt

from engine import filters, shapes
from gui import samples
from gui.main_window import MainWindow
from gui.widgets.grid_view import format_value

pytestmark = pytest.mark.gui


def np_conv(
    image: np.ndarray,
    kernel: np.ndarray,
    stride: int = 1,
    pads=(0, 0, 0, 0),
    flip: bool = False,
    bias: float = 0.0,
) -> np.ndarray:
    """Readable cross-correlation (true convolution with ``flip``), the test's own oracle."""
    k = kernel[::-1, ::-1] if flip else kernel
    t, b, le, r = pads
    x = np.pad(image.astype(np.float64), ((t, b), (le, r)))
    kh, kw = k.shape
    oh, ow = (x.shape[0] - kh) // stride + 1, (x.shape[1] - kw) // stride + 1
    out = np.empty((oh, ow))
    for i in range(oh):
        for j in range(ow):
            out[i, j] = (x[i * stride : i * stride + kh, j * stride : j * stride + kw] * k).sum() + bias
    return out


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
    qtbot.waitUntil(tab.screenshot_ready, timeout=60_000)


def use_cross(qtbot, tab) -> np.ndarray:
    tab.load_sample("cross")
    settle(qtbot, tab)
    return samples.load_sample("cross")


def test_starts_on_a_small_sample_with_the_lesson_filter(win):
    tab = win.tab("convolution")
    assert tab.page.input_panel.view.values().shape == (28, 28)  # a digit: small enough to step
    np.testing.assert_array_equal(tab.editor.kernel(), filters.get_preset("horizontal_line"))
    assert tab.controls.sample.currentData() == samples.DEFAULT_SAMPLE


@pytest.mark.parametrize("steps", [1, 5, 23, 49])
def test_stepping_fills_the_output_with_conv2d_values(win, qtbot, steps):
    tab = win.tab("convolution")
    image = use_cross(qtbot, tab)
    kernel = tab.editor.kernel()
    tab.page.stepper.set_position(steps)
    shown = tab.page.fmap_panel.view.values().ravel()  # (OH * OW,)
    expected = np_conv(image, kernel).ravel()
    np.testing.assert_allclose(shown[:steps], expected[:steps], atol=1e-5)
    assert np.isnan(shown[steps:]).all()
    # the calculation panel: the window under the filter times the filter, and the written-out sum
    w = tab.page.calc.shown_window()
    r, c = divmod(steps - 1, 7)
    assert (w.row, w.col) == (r, c)
    np.testing.assert_allclose(w.patch, image[r : r + 3, c : c + 3])
    np.testing.assert_allclose(w.products, image[r : r + 3, c : c + 3] * kernel)
    total = f"{expected[steps - 1]:.2f}".rstrip("0").rstrip(".")
    assert tab.page.calc.formula_text().endswith("= " + ("0" if total in ("-0", "") else total))
    # the current window is highlighted on the input, the current cell on the feature map
    hl = tab.page.input_panel.view.highlights()[0]
    assert (hl.top, hl.left, hl.rows, hl.cols) == (r, c, 3, 3)


def test_lesson_example_sums_to_six(win, qtbot):
    tab = win.tab("convolution")
    tab.load_sample("line")
    settle(qtbot, tab)
    tab.page.stepper.step_forward()
    assert tab.page.calc.formula_text() == "0*-1 + 0*-1 + 0*-1 + 1*2 + 1*2 + 1*2 + 0*-1 + 0*-1 + 0*-1 = 6"


@pytest.mark.parametrize("padding", ["valid", "same", "full", 2])
@pytest.mark.parametrize("stride", [1, 2, 3])
def test_output_size_label_and_map_follow_padding_and_stride(win, qtbot, padding, stride):
    tab = win.tab("convolution")
    image = use_cross(qtbot, tab)
    tab.controls.stride.setValue(stride)
    tab.controls.set_padding(padding)
    settle(qtbot, tab)
    n = shapes.conv_output_size(9, 3, stride, padding)
    assert f"Output: {n} × {n}" in tab.controls.output_info.text()
    assert shapes.conv_output_formula(padding, stride) in tab.controls.output_info.text()
    tab.page.stepper.jump_to_end()
    pads = shapes.resolve_padding(padding, (9, 9), (3, 3), (stride, stride))
    expected = np_conv(image, tab.editor.kernel(), stride, pads)
    np.testing.assert_allclose(tab.page.fmap_panel.view.values(), expected, atol=1e-5)
    t, b, le, r = pads
    assert tab.page.input_panel.view.values().shape == (9 + t + b, 9 + le + r)


def test_flip_filter_bias_and_image_changes_update_the_views(win, qtbot):
    tab = win.tab("convolution")
    image = use_cross(qtbot, tab)
    tab.editor.set_preset("sobel_x")
    tab.controls.flip.setChecked(True)
    tab.editor.set_bias(0.5)
    settle(qtbot, tab)
    tab.page.stepper.jump_to_end()
    expected = np_conv(image, filters.get_preset("sobel_x"), flip=True, bias=0.5)
    np.testing.assert_allclose(tab.page.fmap_panel.view.values(), expected, atol=1e-5)
    np.testing.assert_allclose(tab.page.relu_panel.view.values(), np.maximum(expected, 0), atol=1e-5)
    assert "180" in tab.page.calc.kernel_label.text()
    tab.load_sample("checkerboard")
    settle(qtbot, tab)
    tab.page.stepper.jump_to_end()
    board = samples.load_sample("checkerboard")
    expected = np_conv(board, filters.get_preset("sobel_x"), flip=True, bias=0.5)
    np.testing.assert_allclose(tab.page.fmap_panel.view.values(), expected, atol=1e-5)


def test_editing_a_filter_cell_recomputes_and_bad_text_is_refused(win, qtbot):
    tab = win.tab("convolution")
    image = use_cross(qtbot, tab)
    tab.editor.table.item(0, 0).setText("3")
    settle(qtbot, tab)
    kernel = filters.get_preset("horizontal_line")
    kernel[0, 0] = 3
    np.testing.assert_array_equal(tab.editor.kernel(), kernel)
    assert tab.editor.preset_name() is None
    tab.page.stepper.jump_to_end()
    np.testing.assert_allclose(tab.page.fmap_panel.view.values(), np_conv(image, kernel), atol=1e-5)
    tab.editor.table.item(1, 1).setText("abc")
    np.testing.assert_array_equal(tab.editor.kernel(), kernel)
    assert tab.editor.table.item(1, 1).text() == "2"


def test_pooling_steps_over_the_relu_map(win, qtbot):
    tab = win.tab("convolution")
    image = use_cross(qtbot, tab)
    relu = np.maximum(np_conv(image, tab.editor.kernel()), 0)  # (7, 7)
    tab.page.stepper.jump_to_end()
    pooled = tab.page.pool_panel.view.values()
    assert pooled.shape == (3, 3)
    expected = np.array(
        [[relu[2 * i : 2 * i + 2, 2 * j : 2 * j + 2].max() for j in range(3)] for i in range(3)]
    )
    np.testing.assert_allclose(pooled, expected, atol=1e-5)
    tab.page.pool_stepper.set_position(2)
    shown = tab.page.pool_panel.view.values().ravel()
    np.testing.assert_allclose(shown[:2], expected.ravel()[:2], atol=1e-5)
    assert np.isnan(shown[2:]).all()
    assert f"= <b>{format_value(expected[0, 1])}</b>" in tab.page.pool_formula.text()
    tab.controls.pool_mode.setCurrentIndex(tab.controls.pool_mode.findData("avg"))
    settle(qtbot, tab)
    tab.page.stepper.jump_to_end()
    avg = np.array([[relu[2 * i : 2 * i + 2, 2 * j : 2 * j + 2].mean() for j in range(3)] for i in range(3)])
    np.testing.assert_allclose(tab.page.pool_panel.view.values(), avg, atol=1e-5)


def test_hovering_an_output_cell_shows_its_window_and_back(win, qtbot):
    tab = win.tab("convolution")
    use_cross(qtbot, tab)
    tab.controls.stride.setValue(2)
    settle(qtbot, tab)
    tab.page.fmap_panel.view.cellHovered.emit(1, 2)
    tops = [(h.top, h.left, h.rows) for h in tab.page.input_panel.view.highlights()]
    assert (2, 4, 3) in tops
    assert (tab.page.calc.shown_window().row, tab.page.calc.shown_window().col) == (1, 2)
    # the other direction: input cell (4, 4) is seen by outputs whose window covers it
    tab.page.input_panel.view.cellHovered.emit(4, 4)
    cells = {(h.top, h.left) for h in tab.page.fmap_panel.view.highlights() if h.rows == 1}
    assert cells == {(i, j) for i in (1, 2) for j in (1, 2)}


@pytest.mark.parametrize("content", [b"", b"not an image at all", b"\x89PNG\r\n\x1a\n\x00\x00broken"])
def test_bad_image_files_report_and_keep_the_state(win, qtbot, tmp_path, content):
    tab = win.tab("convolution")
    use_cross(qtbot, tab)
    before = tab.page.input_panel.view.values().copy()
    path = tmp_path / "bad.png"
    path.write_bytes(content)
    assert win.open_path(str(path)) is False
    assert "bad.png" in win.last_error
    np.testing.assert_array_equal(tab.page.input_panel.view.values(), before)


@pytest.mark.parametrize("text", ["1 2\n3 4 5\n", "1 2 3\n4 5 6\n", "a b\nc d\n", ""])
def test_bad_filter_files_report_and_keep_the_filter(win, tmp_path, text):
    tab = win.tab("convolution")
    path = tmp_path / "bad.txt"
    path.write_text(text)
    before = tab.editor.kernel()
    assert win.open_path(str(path)) is False
    assert win.last_error
    np.testing.assert_array_equal(tab.editor.kernel(), before)


def test_filter_file_round_trip_and_too_large_filter(win, qtbot, tmp_path):
    tab = win.tab("convolution")
    path = tmp_path / "k.json"
    path.write_text(
        '{"kernel": [[0, 1, 0, 0, 0], [1, 1, 1, 1, 1], [0, 1, 0, 0, 0], [0, 0, 0, 0, 0], [0, 0, 0, 0, 0]]}'
    )
    tab.load_sample("line")
    settle(qtbot, tab)
    assert win.open_path(str(path)) is True
    assert tab.editor.kernel().shape == (5, 5)
    # 5x5 filter on the 3x3 lesson image without padding: a clear error, no output, no crash
    assert "larger than the padded" in win.last_error
    assert tab.page.stepper.total() == 0
    tab.controls.set_padding("full")
    settle(qtbot, tab)
    assert tab.page.stepper.total() == 7 * 7


def test_keyboard_shortcuts_drive_the_stepper(win, qtbot):
    tab = win.tab("convolution")
    use_cross(qtbot, tab)
    st = tab.page.stepper
    for key, expected in (
        (Qt.Key.Key_Right, 1),
        (Qt.Key.Key_Right, 2),
        (Qt.Key.Key_Left, 1),
        (Qt.Key.Key_End, 49),
        (Qt.Key.Key_Home, 0),
    ):
        qtbot.keyClick(win, key)
        assert st.position() == expected
    qtbot.keyClick(win, Qt.Key.Key_Space)
    assert st.is_playing()
    qtbot.waitUntil(lambda: st.position() >= 2, timeout=5000)
    qtbot.keyClick(win, Qt.Key.Key_Space)
    assert not st.is_playing()


def test_colour_image_channels_and_downscale(win, qtbot):
    tab = win.tab("convolution")
    tab.load_sample("astronaut")
    settle(qtbot, tab)
    source = samples.load_sample("astronaut")  # (512, 512, 3)
    plane = tab.page.input_panel.view.values()
    assert max(plane.shape) == samples.MAX_STEP_SIDE
    assert "64" in tab.controls.image_info.text()
    tab.controls.channel.setCurrentIndex(tab.controls.channel.findData("red"))
    settle(qtbot, tab)
    red = tab.page.input_panel.view.values()
    np.testing.assert_allclose(red.mean(), source[..., 0].mean(), atol=0.02)
    assert abs(red.mean() - plane.mean()) > 0.01


def test_save_feature_map_and_lesson_state(win, qtbot, tmp_path):
    from PIL import Image

    tab = win.tab("convolution")
    use_cross(qtbot, tab)
    tab.controls.set_padding("same")
    settle(qtbot, tab)
    png = tmp_path / "map.png"
    assert tab.save_feature_map(str(png))
    with Image.open(png) as im:
        assert im.size == (9, 9)
    tab.page.stepper.set_position(12)
    state_path = tmp_path / "lesson.json"
    assert win.save_state(str(state_path))
    tab.load_sample("checkerboard")
    tab.controls.set_padding("valid")
    tab.editor.set_preset("laplacian")
    assert win.open_state(str(state_path))
    settle(qtbot, tab)
    assert tab.controls.settings().padding == "same"
    assert tab.page.stepper.position() == 12
    np.testing.assert_array_equal(tab.editor.kernel(), filters.get_preset("horizontal_line"))
    assert tab.page.input_panel.view.values().shape == (11, 11)
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2]")
    assert not win.open_state(str(bad))
    assert tab.page.stepper.position() == 12


def test_language_switch_is_live(win, qtbot):
    tab = win.tab("convolution")
    win.switch_language("fr")
    try:
        qtbot.waitUntil(lambda: tab.pages.tabText(0) == "Pas à pas", timeout=5000)
        assert win.file_menu.title() == "&Fichier"
        assert "Sortie" in tab.controls.output_info.text()
    finally:
        win.switch_language("en")
    qtbot.waitUntil(lambda: tab.pages.tabText(0) == "Step by step", timeout=5000)


def test_grid_view_writes_numbers_only_when_zoomed(win, qtbot):
    view = win.tab("convolution").page.input_panel.view  # 28 x 28 digit
    view.fit()
    assert not view.numbers_visible()
    view.zoom_by(8.0, QPointF(view.width() / 2, view.height() / 2))
    assert view.numbers_visible()
    assert format_value(0.333333) == "0.33" and format_value(-2.0) == "-2" and format_value(12.25) == "12.2"


def test_dropping_an_image_file_opens_it(win, qtbot, tmp_path):
    from PIL import Image
    from PySide6.QtCore import QMimeData, QUrl
    from PySide6.QtGui import QDropEvent

    path = tmp_path / "drop.png"
    Image.fromarray(np.full((6, 10), 200, np.uint8)).save(path)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    event = QDropEvent(
        QPointF(50, 50),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    win.dropEvent(event)
    tab = win.tab("convolution")
    settle(qtbot, tab)
    np.testing.assert_allclose(tab.page.input_panel.view.values(), np.full((6, 10), 200 / 255), atol=1e-6)
    assert tab.controls.sample.currentData() == ""  # "Your image"


def test_resizing_the_filter_keeps_its_centre(win, qtbot):
    tab = win.tab("convolution")
    tab.editor.size_spin.setValue(5)
    k = tab.editor.kernel()
    assert k.shape == (5, 5)
    np.testing.assert_array_equal(k[1:4, 1:4], filters.get_preset("horizontal_line"))
    assert k[0].sum() == 0 and k[:, 0].sum() == 0
    assert tab.controls.stride.maximum() == 7  # stride goes up to K + 2
    tab.editor.size_spin.setValue(2)
    assert tab.editor.kernel().shape == (2, 2)
    settle(qtbot, tab)
    assert "Output: 27 × 27" in tab.controls.output_info.text()


def test_view_menu_fits_grids_and_hides_values(win):
    view = win.tab("convolution").page.input_panel.view
    view.zoom_by(8.0)
    assert view.numbers_visible()
    win.act_numbers.trigger()
    assert not view.numbers_visible()
    win.act_numbers.trigger()
    win.act_fit.trigger()
    assert not view.numbers_visible()
    assert (
        format_value(-0.004) == "-0.004" and format_value(1e-9) == "0" and format_value(-0.0005) == "-5e-04"
    )
