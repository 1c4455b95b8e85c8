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
from PySide6.QtCore import QEvent, QRectF, QSize, Qt, QTimer
from PySide6.QtGui import QColor, QImage, QPainter, QPen
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSlider,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from engine.sliding import BackwardWalk
from gui.models.backprop import BackpropSnapshot, backprop_snapshot
from gui.tabs._session_tab import SessionTabMixin
from gui.widgets.net_maps import bold_font, to_qimage
from gui.widgets.net_session import LabSession

__all__ = ["BackpropTab", "MapPanel"]


class MapPanel(QWidget):
    """An array drawn large with a caption and an optional highlighted rectangle (cells)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._img: QImage | None = None
        self._shape = (1, 1)
        self._rect: tuple[int, int, int, int] | None = None
        self._inner: tuple[int, int, int, int] | None = None  # the unpadded area, drawn dashed
        self.setMinimumSize(150, 150)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_array(
        self,
        a: np.ndarray,
        signed: bool,
        rect: tuple[int, int, int, int] | None = None,
        inner: tuple[int, int, int, int] | None = None,
        vmax: float | None = None,
    ) -> None:
        self._img = to_qimage(a, signed=signed, vmax=vmax)
        self._shape = a.shape[:2]
        self._rect, self._inner = rect, inner
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(220, 220)

    def paintEvent(self, event) -> None:
        if self._img is None:
            return
        p = QPainter(self)
        h, w = self._shape
        cell = min(self.width() / w, self.height() / h)
        area = QRectF(0, 0, cell * w, cell * h)
        p.drawImage(area, self._img)
        p.setPen(QPen(QColor("#808080"), 1))
        p.drawRect(area)
        if self._inner is not None:
            t, le, ih, iw = self._inner
            p.setPen(QPen(QColor("#00a050"), 2, Qt.PenStyle.DashLine))
            p.drawRect(QRectF(le * cell, t * cell, iw * cell, ih * cell))
        if self._rect is not None:
            t, le, rh, rw = self._rect
            p.setPen(QPen(QColor(255, 140, 0), 3))
            p.drawRect(QRectF(le * cell, t * cell, rw * cell, rh * cell))
        p.end()


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
        self.formula = QLabel()
        self.formula.setWordWrap(True)
        self.formula.setFont(bold_font(self, 1.1))
        self.check = QLabel()
        self.check.setWordWrap(True)
        self.panels = {k: MapPanel() for k in ("x", "dz", "w", "dw", "dw_full", "dx", "dx_full")}
        self.captions = {k: QLabel() for k in self.panels}
        grid = QGridLayout()
        order = (
            ("x", 0, 0),
            ("w", 0, 1),
            ("dz", 0, 2),
            ("dw", 1, 0),
            ("dw_full", 1, 1),
            ("dx", 1, 2),
            ("dx_full", 1, 3),
        )
        for key, r, c in order:
            self.captions[key].setWordWrap(True)
            self.captions[key].setFont(bold_font(self))
            box = QVBoxLayout()
            box.addWidget(self.captions[key])
            box.addWidget(self.panels[key], 1)
            grid.addLayout(box, r, c)
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
        if self.walk is None:
            return
        v = self.slider.value() + delta
        if not 0 <= v < self.walk.positions:
            if not wrap:
                self._timer.stop()
                self.play_btn.setText(self.tr("Play"))
                return
            v %= self.walk.positions
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
        t, b, le, r = walk.pads
        hp, wp = walk.padded.shape[:2]
        inner = (t, le, hp - t - b, wp - le - r) if any(walk.pads) else None
        win = walk.window(p)
        i, j = walk.position(p)
        dw_full = snap.engine_dw[:, :, c, k]
        dw_max = float(np.abs(dw_full).max()) or None
        self.panels["x"].set_array(walk.padded[:, :, c], False, win, inner)
        self.panels["w"].set_array(snap.kernel[:, :, c, k], True)
        self.panels["dz"].set_array(snap.dz[:, :, k], True, (i, j, 1, 1))
        self.panels["dw"].set_array(walk.dw_partial(p), True, vmax=dw_max)
        self.panels["dw_full"].set_array(dw_full, True)
        dxp = walk.dx_partial(p)
        self.panels["dx"].set_array(dxp, True, win, inner)
        if snap.engine_dx is not None:
            self.panels["dx_full"].set_array(snap.engine_dx[:, :, c], True)
        g = walk.gradient_at(p)
        self.formula.setText(
            self.tr(
                "Position ({i}, {j}) of {n}: dL/dZ = {g:+.4f}.  "
                "dL/dW += {g:+.4f} x the orange input window;  "
                "dL/dX (orange window) += {g:+.4f} x the filter."
            ).format(i=i, j=j, n=walk.positions, g=g)
        )

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
            "x": self.tr("Input X (channel c, padded)"),
            "w": self.tr("Filter W (c, k)"),
            "dz": self.tr("dL/dZ: gradient at the output (k)"),
            "dw": self.tr("dL/dW so far"),
            "dw_full": self.tr("dL/dW from the engine"),
            "dx": self.tr("dL/dX so far (filter k)"),
            "dx_full": self.tr("dL/dX from the engine (all filters)"),
        }
        for key, text in caps.items():
            self.captions[key].setText(text)
        if not self.formula.text():
            self.formula.setText(
                self.tr("Choose a conv layer and an image, then step through the positions.")
            )
