"""gui.models.convolution: the lab's state at every step, checked against plain NumPy, without Qt."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from gui.models.convolution import ConvolutionLab, LabParams, Mark, compute_maps, masked

ROOT = Path(__file__).resolve().parents[3]


def np_conv(image: np.ndarray, kernel: np.ndarray, stride: int = 1, pads=(0, 0, 0, 0)) -> np.ndarray:
    """Readable cross-correlation, the test's own oracle."""
    t, b, le, r = pads
    x = np.pad(image.astype(np.float64), ((t, b), (le, r)))
    kh, kw = kernel.shape
    oh, ow = (x.shape[0] - kh) // stride + 1, (x.shape[1] - kw) // stride + 1
    out = np.empty((oh, ow))
    for i in range(oh):
        for j in range(ow):
            out[i, j] = (x[i * stride : i * stride + kh, j * stride : j * stride + kw] * kernel).sum()
    return out


def params(plane, kernel, padding="valid", stride=1, pool=("max", 2, 2)) -> LabParams:
    mode, size, pstride = pool
    return LabParams(
        np.asarray(plane, np.float32),
        np.asarray(kernel, np.float32),
        0.0,
        padding,
        stride,
        False,
        mode,
        size,
        pstride,
    )


@pytest.fixture
def lab(rng):
    plane = rng.standard_normal((6, 7)).astype(np.float32)
    lab = ConvolutionLab(plane, key="demo")
    return lab, plane


def test_a_result_counts_only_for_its_own_generation(lab, rng):
    lab, plane = lab
    kernel = rng.standard_normal((3, 3)).astype(np.float32)
    first = lab.update(params(plane, kernel))
    p = params(plane, kernel, padding="same")
    second = lab.update(p)
    assert second == first + 1 and not lab.ready
    assert not lab.accept(first, compute_maps(params(plane, kernel)))  # stale: settings changed since
    assert lab.result is None
    assert lab.accept(second, compute_maps(p)) and lab.ready
    np.testing.assert_allclose(lab.result["conv"], np_conv(plane, kernel, pads=(1, 1, 1, 1)), atol=1e-5)


def test_a_filter_larger_than_the_image_gives_no_walk(lab):
    lab, plane = lab
    lab.update(params(plane, np.ones((9, 9))))
    assert lab.walk is None and "larger than the padded input 6x7" in lab.walk_error
    assert lab.ready and lab.output_size() is None and lab.step_marks(3).input == []
    assert not lab.accept(lab.generation, {"pooled": None})
    with pytest.raises(ValueError, match="no feature map"):
        lab.feature_map(1)


def test_the_feature_map_fills_in_step_by_step(lab, rng):
    lab, plane = lab
    kernel = rng.standard_normal((3, 3)).astype(np.float32)
    p = params(plane, kernel, stride=2)
    g = lab.update(p)
    expected = np_conv(plane, kernel, stride=2)  # (2, 3)
    before = lab.feature_map(4)  # the walk's own sums while the engine computes
    np.testing.assert_allclose(before.ravel()[:4], expected.ravel()[:4], atol=1e-5)
    assert np.isnan(before.ravel()[4:]).all()
    lab.accept(g, compute_maps(p))
    after = lab.feature_map(4)  # now the engine's map, the same cells shown
    np.testing.assert_allclose(after.ravel()[:4], expected.ravel()[:4], atol=1e-5)
    assert np.isnan(after.ravel()[4:]).all()
    np.testing.assert_array_equal(masked(np.arange(4.0).reshape(2, 2), 3), [[0, 1], [2, np.nan]])


def test_marks_follow_the_step_and_the_hover(lab):
    lab, plane = lab
    lab.update(params(plane, np.ones((3, 3)), padding=1))  # 6x7 -> 6x7, pads 1
    marks = lab.step_marks(0)  # before the first step: where the filter starts, nothing computed
    assert marks.input == [Mark(0, 0, 3, 3, "next")] and marks.output == [] and marks.window is None
    marks = lab.step_marks(9)  # the 9th cell computed: output (1, 1), window at (1, 1) in the padded input
    assert marks.input == [Mark(1, 1, 3, 3, "current", True)]
    assert marks.output == [Mark(1, 1, 1, 1, "current")]
    assert (marks.window.row, marks.window.col) == (1, 1)
    lab.hover_output(0, 2)
    marks = lab.step_marks(9)
    assert marks.input[-1] == Mark(0, 2, 3, 3, "hover", True) and (marks.window.row, marks.window.col) == (
        0,
        2,
    )
    lab.hover_input(0, 0)  # padded-input cell (0, 0) lies only in output (0, 0)'s window
    marks = lab.step_marks(9)
    assert marks.input[-1] == Mark(0, 0, 1, 1, "hover", True)
    assert [m for m in marks.output if m.role == "seen"] == [Mark(0, 0, 1, 1, "seen", True)]
    lab.hover_input(2, 2)  # seen by outputs (0..2, 0..2)
    seen = {(m.top, m.left) for m in lab.step_marks(9).output if m.role == "seen"}
    assert seen == {(i, j) for i in range(3) for j in range(3)}
    assert lab.clear_hover() and not lab.clear_hover()


def test_pooled_cells_appear_once_their_window_is_computed(lab):
    lab, plane = lab
    p = params(plane, np.ones((3, 3)), pool=("max", 2, 2))  # conv 4x5, pooled 2x2
    lab.accept(lab.update(p), compute_maps(p))
    relu = np.maximum(np_conv(plane, np.ones((3, 3))), 0)
    pooled = np.array(
        [[relu[2 * i : 2 * i + 2, 2 * j : 2 * j + 2].max() for j in range(2)] for i in range(2)]
    )
    assert len(lab.pool_walk) == 4
    step = lab.pool_step(4, 7)  # live; 7 conv cells done: (0, 0)..(1, 1), so pooled (0, 0) only
    assert step.current is None
    np.testing.assert_allclose(step.shown[0, 0], pooled[0, 0], atol=1e-5)
    assert np.isnan(step.shown[0, 1]) and np.isnan(step.shown[1]).all()
    step = lab.pool_step(4, 20)  # every conv cell: the whole pooled map
    np.testing.assert_allclose(step.shown, pooled, atol=1e-5)
    step = lab.pool_step(2, 0)  # the pooling stepper's own walk: 2 cells, the 2nd window current
    assert (step.current.row, step.current.col) == (0, 1)
    np.testing.assert_allclose(step.shown.ravel()[:2], pooled.ravel()[:2], atol=1e-5)
    assert np.isnan(step.shown.ravel()[2:]).all()


def test_no_pooled_map_when_the_window_does_not_fit(lab):
    lab, plane = lab
    p = params(plane, np.ones((3, 3)), pool=("max", 5, 5))  # conv 4x5: a 5x5 window does not fit
    lab.accept(lab.update(p), compute_maps(p))
    assert lab.result["pooled"] is None and lab.pool_walk == [] and lab.pool_step(0, 20) is None


def test_output_size_numbers(lab):
    lab, plane = lab
    lab.update(params(plane, np.ones((3, 3)), padding="same", stride=2))
    size = lab.output_size()
    assert (size.out_h, size.out_w) == (3, 4) and size.formula == "ceil(N / s)"
    assert (size.in_h, size.in_w, size.kernel, size.stride) == (6, 7, 3, 2)
    assert size.pads == (0, 1, 1, 1) and size.pads_text == "0/1/1/1"
    lab.update(params(plane, np.ones((3, 3)), padding=1))
    assert lab.output_size().pads_text == "1"


def test_the_gui_models_never_import_qt():
    code = (
        "import sys, gui.models.backprop, gui.models.compare, gui.models.convolution, gui.models.data, "
        "gui.models.lab_maps, gui.models.network, "
        "gui.models.session, gui.models.transfer; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', 'pyqtgraph')))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"


# --------------------------------------------------------------------------------------------- colour (RGB)
def test_rgb_maps_the_step_sums_and_the_partial_maps(rng):
    from engine import ops

    image = rng.random((6, 7, 3)).astype(np.float32)
    kernel = rng.standard_normal((3, 3, 3)).astype(np.float32)
    p = LabParams(image, kernel, 0.5, "same", 1, False, "max", 2, 2)
    lab = ConvolutionLab(image, key="demo")
    lab.accept(lab.update(p), compute_maps(p))
    engine_map = ops.conv2d(image, kernel[:, :, :, None], [0.5], padding="same")[:, :, 0]  # (6, 7)
    np.testing.assert_allclose(lab.result["conv"], engine_map, atol=1e-5)
    assert lab.walk.padded.shape == (8, 9, 3)
    for c in range(3):  # each channel's share is its own single-channel convolution, bias excluded
        single = np_conv(image[:, :, c], kernel[:, :, c], pads=(1, 1, 1, 1))
        np.testing.assert_allclose(lab.result["partials"][c], single, atol=1e-5)
    np.testing.assert_allclose(sum(lab.result["partials"]) + 0.5, engine_map, atol=1e-5)
    for pos in range(1, lab.walk.total + 1):  # every step: three partial sums + bias = the output cell
        w = lab.walk[pos - 1]
        np.testing.assert_allclose(w.channel_sums().sum() + w.bias, engine_map[w.row, w.col], atol=1e-5)
    shown = lab.partial_maps(10)
    assert len(shown) == 3 and np.isnan(shown[0].ravel()[10:]).all()
    np.testing.assert_allclose(shown[2].ravel()[:10], lab.result["partials"][2].ravel()[:10])


def test_pool_vs_stride_maps_follow_the_pooling_settings(lab, rng):
    lab, plane = lab
    kernel = rng.standard_normal((3, 3)).astype(np.float32)
    p = params(plane, kernel, pool=("avg", 3, 1))  # conv 4x5
    maps = compute_maps(p)["pvs"]
    relu = np.maximum(np_conv(plane, kernel), 0)
    avg = np.array([[relu[i : i + 3, j : j + 3].mean() for j in range(3)] for i in range(2)])
    np.testing.assert_allclose(maps["pooled"], avg, atol=1e-5)  # window 3, stride 1, mode avg
    np.testing.assert_allclose(maps["strided"], np.maximum(np_conv(plane, kernel, stride=1), 0), atol=1e-5)
    p = params(plane, kernel, pool=("max", 2, 3))
    maps = compute_maps(p)["pvs"]
    np.testing.assert_allclose(maps["strided"], np.maximum(np_conv(plane, kernel, stride=3), 0), atol=1e-5)
    assert maps["pooled"].shape == (1, 2)


def test_zero_windows_and_the_skipping_stepper():
    plane = np.zeros((7, 7), np.float32)
    plane[3, 3] = 1.0  # one bright pixel: only the windows covering it see a non-zero
    lab = ConvolutionLab(plane)
    lab.update(params(plane, np.ones((3, 3)), padding=1))  # 7x7 outputs
    zero = lab.walk.zero_windows()
    direct = np.array([not lab.walk[i].patch.any() for i in range(lab.walk.total)])
    np.testing.assert_array_equal(zero, direct)
    assert zero.sum() == 49 - 9
    walk = lab.walk
    assert walk.next_position(0, 1) == 1  # without skipping: one step
    first = int(np.flatnonzero(~zero)[0])  # window index 16: output (2, 2)
    assert walk.next_position(0, 1, skip_zero=True) == first + 1
    last = int(np.flatnonzero(~zero)[-1])
    assert walk.next_position(last + 1, 1, skip_zero=True) == walk.total  # only zeros left: to the end
    assert walk.next_position(first + 1, -1, skip_zero=True) == 0
    assert walk.next_position(first + 3, -1, skip_zero=True) == first + 2


def test_hovering_a_relu_or_pooled_cell(lab):
    lab, plane = lab
    p = params(plane, np.ones((3, 3)), stride=1, pool=("max", 2, 2))  # conv 4x5, pooled 2x2
    lab.accept(lab.update(p), compute_maps(p))
    lab.hover_cell("relu", 1, 2)
    marks = lab.step_marks(3)
    assert marks.relu_cell == (1, 2) and Mark(1, 2, 1, 1, "hover") in marks.relu
    assert Mark(1, 2, 3, 3, "hover", True) in marks.input and (marks.window.row, marks.window.col) == (1, 2)
    lab.hover_cell("pooled", 0, 1)
    marks = lab.step_marks(3)
    relu = np.maximum(np_conv(plane, np.ones((3, 3))), 0)
    block = relu[0:2, 2:4]
    assert marks.pool_window is not None and marks.pool_window.value == pytest.approx(block.max(), abs=1e-5)
    assert Mark(0, 2, 2, 2, "hover", True) in marks.relu and Mark(0, 1, 1, 1, "hover") in marks.pooled
    assert Mark(0, 2, 4, 4, "hover", True) in marks.input  # the input the pooled cell reads
    r, c = np.unravel_index(block.argmax(), block.shape)
    assert (marks.window.row, marks.window.col) == (r, 2 + c)  # the winning cell's convolution step
    with pytest.raises(ValueError, match="place must be one of"):
        lab.hover_cell("nowhere", 0, 0)


def test_the_live_pool_view_counts_the_cells_it_shows(lab):
    lab, plane = lab
    p = params(plane, np.ones((3, 3)), pool=("max", 2, 2))  # conv 4x5, pooled 2x2
    lab.accept(lab.update(p), compute_maps(p))
    assert lab.pool_step(None, 0).known == 0  # nothing computed: 0 of 4, not 4 of 4
    assert lab.pool_step(None, 7).known == 1
    assert lab.pool_step(None, 20).known == 4
    assert lab.pool_step(2, 0).known == 2
