"""The Backprop tab: panels show values with a colour scale, stepping can skip positions where dL/dZ = 0."""

from __future__ import annotations

import numpy as np
import pytest

from gui.models.backprop import next_position
from gui.widgets.panel import ColorBar

pytestmark = pytest.mark.gui


def test_next_position_skips_zero_gradients_when_asked():
    g = np.array([0.0, 0.5, 0.0, 0.0, -0.2, 0.0])
    assert next_position(g, 0, 1) == 1 and next_position(g, 1, 1) == 2  # one at a time by default
    assert next_position(g, 1, 1, skip_zero=True) == 4
    assert next_position(g, 4, 1, skip_zero=True) == 1  # round the end
    assert next_position(g, 4, 1, skip_zero=True, wrap=False) is None  # playing stops at the end
    assert next_position(g, 4, -1, skip_zero=True) == 1
    assert next_position(g, 1, -1, skip_zero=True) == 4
    assert next_position(np.zeros(3), 0, 1, skip_zero=True) == 1  # nothing to skip to: one at a time
    assert next_position(np.zeros(0), 0, 1) is None


@pytest.fixture
def bp(qtbot):
    from gui.tabs.backprop import BackpropTab

    tab = BackpropTab()
    qtbot.addWidget(tab)
    tab.resize(1300, 800)
    tab.show()
    qtbot.waitUntil(lambda: tab.session.info is not None, timeout=60000)
    tab.compute()
    qtbot.waitUntil(tab.ready, timeout=60000)
    yield tab
    tab.shutdown()


def test_backprop_panels_show_values_and_a_colour_scale(bp):
    walk, snap = bp.walk, bp.snapshot
    p = 40
    bp.slider.setValue(p)
    c, k = walk.channel, walk.filter
    np.testing.assert_allclose(bp.panels["dw"].view.values(), walk.dw_partial(p), rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(bp.panels["dz"].view.values(), snap.dz[:, :, k], rtol=1e-6)
    np.testing.assert_allclose(bp.panels["w"].view.values(), snap.kernel[:, :, c, k], rtol=1e-6)
    for key, panel in bp.panels.items():
        assert isinstance(panel.colorbar, ColorBar) and panel.colorbar.isVisible(), key
        assert panel.colorbar.labels()[0] != panel.colorbar.labels()[2], key
    w = bp.panels["w"].view  # a 3 x 3 filter: its numbers are written on its cells
    assert w.numbers_visible()
    # the partial dL/dW is drawn on the finished sum's scale, so that it grows into its final colours
    assert bp.panels["dw"].view.value_range() == bp.panels["dw_full"].view.value_range()
    top, left, kh, kw = walk.window(p)
    assert (top, left, kh, kw) in [(h.top, h.left, h.rows, h.cols) for h in bp.panels["x"].view.highlights()]
    assert "hatched" in bp.panels["x"].title.text()


def test_backprop_stepping_can_skip_positions_where_the_gradient_is_zero(bp):
    g = bp.snapshot.dz[:, :, bp.walk.filter].ravel()
    assert (g == 0).sum() > 0 and (g != 0).sum() > 2  # after ReLU many positions are 0
    bp.slider.setValue(0)
    bp.next_btn.click()
    assert bp.slider.value() == 1
    bp.skip_zero.setChecked(True)
    bp.slider.setValue(0)
    nonzero = np.flatnonzero(g)
    expected = [int(i) for i in nonzero if i > 0][:3]
    visited = []
    for _ in range(3):
        bp.next_btn.click()
        visited.append(bp.slider.value())
    assert visited == expected and all(bp.walk.gradient_at(v) != 0 for v in visited)
    bp.prev_btn.click()
    assert bp.slider.value() == expected[1]
