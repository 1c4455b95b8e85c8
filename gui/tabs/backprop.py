"""The Backprop tab: how a conv layer's gradients are made, one output position at a time.

For the current image and its true label, one engine-thread job runs ``model.gradients``; the tab then steps
(pure NumPy, :class:`engine.sliding.BackwardWalk` through :mod:`gui.models.backprop`) the backward window the
same way the Convolution tab steps the forward one: each output position adds ``dL/dZ[i, j] x its input
window`` to ``dL/dW`` and sends ``dL/dZ[i, j] x the filter`` back onto ``dL/dX``. The finished sums are
checked against the engine's.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from engine.sliding import BackwardWalk
from gui.models.backprop import BackpropSnapshot, backprop_snapshot, next_position
from gui.tabs._session_tab import SessionTabMixin
from gui.widgets import colormaps
from gui.widgets.grid_view import Highlight
from gui.widgets.net_maps import bold_font
from gui.widgets.net_session import LabSession
from gui.widgets.panel import MatrixPanel

__all__ = ["PANELS", "BackpropTab"]

#: the panels, in reading order: (key, row, column)
PANELS = (
    ("x", 0, 0),
    ("w", 0, 1),
    ("dz", 0, 2),
    ("dw", 1, 0),
    ("dw_full", 1, 1),
    ("dx", 1, 2),
    ("dx_full", 1, 3),
)
WINDOW = QColor(255, 140, 0)  # the backward window at the current position


def _signed_range(*arrays: np.ndarray) -> tuple[float, float]:
    return colormaps.symmetric_range(np.concatenate([np.asarray(a, np.float64).ravel() for a in arrays]))


class BackpropTab(SessionTabMixin, QWidget):
    """See the module docstring."""

    def __init__(self, parent: QWidget | None = None, session: LabSession | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._connected = False
        self._window: Any = None
        self.snapshot: BackpropSnapshot | None = None
        self.walk: BackwardWalk | None = None
        self.errors: list[str] = []
        self._ready = False
        self.layer = QComboBox()
        self.layer.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self._start_at: int | None = None  # position to show first (screenshots)
        self.image_index = QSpinBox()
        self.image_index.setRange(0, 0)
        self.in_channel, self.out_channel = QSpinBox(), QSpinBox()
        self.compute_btn = QPushButton()
        self.prev_btn, self.next_btn, self.play_btn, self.end_btn = (QPushButton() for _ in range(4))
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.skip_zero = QCheckBox()
        self.formula = QLabel()
        self.formula.setWordWrap(True)
        self.formula.setFont(bold_font(self, 1.1))
        self.check = QLabel()
        self.check.setWordWrap(True)
        self.panels = {key: MatrixPanel() for key, _r, _c in PANELS}
        grid = QGridLayout()
        for key, r, c in PANELS:
            self.panels[key].view.setMinimumSize(60, 60)
            grid.addWidget(self.panels[key], r, c)
        for c in range(4):
            grid.setColumnStretch(c, 1)
        top = QHBoxLayout()
        self._labels = [QLabel() for _ in range(4)]
        for lbl, w in zip(
            self._labels, (self.layer, self.image_index, self.in_channel, self.out_channel), strict=False
        ):
            top.addWidget(lbl)
            top.addWidget(w)
        top.addWidget(self.compute_btn)
        top.addStretch(1)
        steps = QHBoxLayout()
        for b in (self.prev_btn, self.next_btn, self.play_btn, self.end_btn):
            steps.addWidget(b)
        steps.addWidget(self.slider, 1)
        steps.addWidget(self.skip_zero)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addLayout(grid, 1)
        lay.addLayout(steps)
        lay.addWidget(self.formula)
        lay.addWidget(self.check)
        self._timer = QTimer(self)
        self._timer.setInterval(120)
        self._timer.timeout.connect(lambda: self.step(1, wrap=False))
        self.compute_btn.clicked.connect(self.compute)
        self.prev_btn.clicked.connect(lambda: self.step(-1))
        self.next_btn.clicked.connect(lambda: self.step(1))
        self.end_btn.clicked.connect(lambda: self.slider.setValue(self.slider.maximum()))
        self.play_btn.clicked.connect(self._toggle_play)
        self.slider.valueChanged.connect(self._show_position)
        self.in_channel.valueChanged.connect(self._new_walk)
        self.out_channel.valueChanged.connect(self._new_walk)
        self.retranslate()

    def _connect_session(self, s: LabSession) -> None:
        s.modelChanged.connect(self._on_model)
        s.dataChanged.connect(self._on_data)
        if s.info is not None:
            self._on_model(s.info)

    def attach(self, window: Any) -> None:
        self._join_window(window)

    def title(self) -> str:
        return self.tr("Backprop")

    def showEvent(self, event) -> None:
        super().showEvent(event)
        s = self.session
        if s.data is None:
            s.load_data("digits", n_train=2000, n_val=500, on_error=self._error)
        elif self.snapshot is None and s.info is not None:
            self.compute()

    def _error(self, text: str) -> None:
        self.errors.append(text)
        self.check.setText(f"<span style='color:#c00000'>{text}</span>")

    def _on_data(self) -> None:
        data = self.session.data
        assert data is not None
        self.image_index.setRange(0, len(data.x_val) - 1)
        if not self.session.training:
            self.session.ensure_model(self._error)

    def _on_model(self, info: Any) -> None:
        current = self.layer.currentData()
        self.layer.blockSignals(True)
        self.layer.clear()
        for i, row in enumerate(info.rows):
            if row[1] == "Conv2D":
                self.layer.addItem(f"{row[0]} {row[2]}", i)
        idx = self.layer.findData(current)
        self.layer.setCurrentIndex(max(0, idx))
        self.layer.blockSignals(False)
        if self.isVisible():
            self.compute()

    def compute(self) -> None:
        """Gradients of the chosen conv layer for the chosen validation image (engine thread)."""
        s = self.session
        if s.model is None or s.data is None or self.layer.count() == 0:
            return
        i = self.image_index.value()
        image, label = s.data.x_val[i], int(s.data.y_val[i])
        model, layer_index = s.model, int(self.layer.currentData())
        self._ready = False
        s.run(lambda: backprop_snapshot(model, image, label, layer_index), self._on_snapshot, self._error)

    def _on_snapshot(self, snap: BackpropSnapshot) -> None:
        self.snapshot = snap
        self.in_channel.setRange(0, snap.kernel.shape[2] - 1)
        self.out_channel.setRange(0, snap.kernel.shape[3] - 1)
        dw, dx = snap.sums()
        err_w = float(np.abs(dw - snap.engine_dw).max())
        scale = float(np.abs(snap.engine_dw).max()) or 1.0
        text = self.tr(
            "Check: these sums over every position and channel equal the engine's dL/dW "
            "(largest difference {e:.1e}, relative {r:.1e})"
        ).format(e=err_w, r=err_w / scale)
        if snap.engine_dx is not None:
            text += self.tr(" and dL/dX (largest difference {e:.1e}).").format(
                e=float(np.abs(dx - snap.engine_dx).max())
            )
        else:
            text += "."
        self.check.setText(text)
        self._new_walk()
        self._ready = True

    def _new_walk(self, *_: Any) -> None:
        if self.snapshot is None:
            return
        self.walk = self.snapshot.walk(self.in_channel.value(), self.out_channel.value())
        self.slider.blockSignals(True)
        self.slider.setRange(0, self.walk.positions - 1)
        start = 0
        if self._start_at is not None:
            start = self._start_at if self._start_at >= 0 else self.walk.strongest()
            start = min(start, self.walk.positions - 1)
        self.slider.setValue(start)
        self.slider.blockSignals(False)
        self._show_position(start)

    def step(self, delta: int, wrap: bool = True) -> None:
        """Move by ``delta`` positions (over the zero-gradient ones too when :attr:`skip_zero` is ticked);
        past either end, go round (``wrap``) or stop playing."""
        if self.walk is None or self.snapshot is None:
            return
        g = self.snapshot.dz[:, :, self.walk.filter].ravel()  # (P,) dL/dZ in walk order
        v = next_position(g, self.slider.value(), delta, self.skip_zero.isChecked(), wrap)
        if v is None:
            self._timer.stop()
            self.play_btn.setText(self.tr("Play"))
            return
        self.slider.setValue(v)

    def _toggle_play(self) -> None:
        if self._timer.isActive():
            self._timer.stop()
            self.play_btn.setText(self.tr("Play"))
        else:
            self._timer.start()
            self.play_btn.setText(self.tr("Pause"))

    def _show_position(self, p: int) -> None:
        walk, snap = self.walk, self.snapshot
        if walk is None or snap is None:
            return
        c, k = walk.channel, walk.filter
        top, left, kh, kw = walk.window(p)
        window = [Highlight(top, left, kh, kw, WINDOW, 3.0)]
        i, j = walk.position(p)
        dw_full = snap.engine_dw[:, :, c, k]
        dw_rng = _signed_range(dw_full)  # the partial sum grows into the engine's colours
        x = walk.padded[:, :, c]
        self._draw("x", x, "grey", colormaps.data_range(x), window, walk.pads)
        self._draw("w", snap.kernel[:, :, c, k], "diverging", _signed_range(snap.kernel[:, :, c, k]))
        dz = snap.dz[:, :, k]
        self._draw("dz", dz, "diverging", _signed_range(dz), [Highlight(i, j, 1, 1, WINDOW, 3.0)])
        self._draw("dw", walk.dw_partial(p), "diverging", dw_rng)
        self._draw("dw_full", dw_full, "diverging", dw_rng)
        dxp = walk.dx_partial(p)
        dx_full = snap.engine_dx[:, :, c] if snap.engine_dx is not None else None
        dx_rng = _signed_range(dxp) if dx_full is None else _signed_range(dx_full)
        self._draw("dx", dxp, "diverging", dx_rng, window, walk.pads)
        if dx_full is not None:
            self._draw("dx_full", dx_full, "diverging", dx_rng)
        else:
            panel = self.panels["dx_full"]
            panel.set_data(np.zeros((0, 0), np.float32), "diverging")
            panel.view.set_placeholder(self.tr("The first layer: no dL/dX is needed"))
        g = walk.gradient_at(p)
        self.formula.setText(
            self.tr(
                "Position ({i}, {j}) of {n}: dL/dZ = {g:+.4f}.  "
                "dL/dW += {g:+.4f} x the orange input window;  "
                "dL/dX (orange window) += {g:+.4f} x the filter."
            ).format(i=i, j=j, n=walk.positions, g=g)
        )

    def _draw(
        self,
        key: str,
        values: np.ndarray,
        cmap: str,
        rng: tuple[float, float],
        highlights: list[Highlight] | None = None,
        pads: tuple[int, int, int, int] = (0, 0, 0, 0),
    ) -> None:
        panel = self.panels[key]
        panel.view.set_placeholder("")
        panel.set_data(np.asarray(values, np.float32), cmap, rng, pads, keep_view=True)
        panel.view.set_highlights(highlights or [])

    def ready(self) -> bool:
        return self._ready

    def prepare_screenshot(self, options: Any) -> None:
        """Show the walk at ``--steps N`` (default: where the gradient is largest)."""
        steps = getattr(options, "steps", None)
        self._start_at = int(steps) if steps else -1
        if self.session.data is None:
            self.session.load_data("digits", n_train=2000, n_val=500, on_error=self._error)

    def screenshot_ready(self) -> bool:
        return self._ready

    def shutdown(self) -> None:
        self._timer.stop()
        if self._session is not None and self._session.parent() is self:
            self._session.shutdown()

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        for lbl, text in zip(
            self._labels,
            (self.tr("Conv layer"), self.tr("Image"), self.tr("Input channel c"), self.tr("Filter k")),
            strict=False,
        ):
            lbl.setText(text)
        self.compute_btn.setText(self.tr("Compute gradients"))
        self.prev_btn.setText(self.tr("Previous"))
        self.next_btn.setText(self.tr("Next"))
        self.play_btn.setText(self.tr("Pause") if self._timer.isActive() else self.tr("Play"))
        self.end_btn.setText(self.tr("All positions"))
        caps = {
            "x": self.tr("Input X, channel c (hatched: padding)"),
            "w": self.tr("Filter W (c, k)"),
            "dz": self.tr("dL/dZ: gradient at the output (k)"),
            "dw": self.tr("dL/dW so far"),
            "dw_full": self.tr("dL/dW from the engine"),
            "dx": self.tr("dL/dX so far (filter k)"),
            "dx_full": self.tr("dL/dX from the engine (all filters)"),
        }
        for key, text in caps.items():
            self.panels[key].title.setText(text)
        self.skip_zero.setText(self.tr("Skip positions where dL/dZ = 0"))
        self.skip_zero.setToolTip(
            self.tr(
                "After a ReLU most positions have dL/dZ = 0: they add nothing to dL/dW or dL/dX. "
                "Tick to make Previous, Next and Play pass over them."
            )
        )
        hint = self.tr("Wheel: zoom (values appear on large cells), drag: pan, double-click: fit.")
        for panel in self.panels.values():
            panel.view.setToolTip(hint)
        if not self.formula.text():
            self.formula.setText(
                self.tr("Choose a conv layer and an image, then step through the positions.")
            )
