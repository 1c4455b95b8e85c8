"""Transfer learning, the lesson's last part: reuse a trained convolutional base on a new task.

The experiment (each epoch one engine-thread job, so the window stays live and shows progress):

1. train the current architecture on task A (digits 0-4, or all ten digits) - the "pre-trained" base;
2. copy its convolutional base (every layer up to Flatten / global pooling), freeze the ticked layers, put a
   fresh dense head for task B (digits 5-9, or the synthetic shapes) on top, and train it;
3. train the same architecture from scratch on task B for the same number of epochs;
4. compare time and validation accuracy, epoch by epoch.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gui.models.session import compile_model, preset_configs
from gui.models.transfer import TASKS, base_length, fresh_model, task_data, train_epoch, transfer_model

__all__ = ["TransferPanel"]


class TransferPanel(QWidget):
    """Runs the experiment through the training tab's session and shows the comparison."""

    def __init__(self, tab: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tab = tab
        self.results: dict[str, list[tuple[float, float]]] = {"transfer": [], "scratch": []}
        self.pretrain_s = 0.0
        self.running = False
        self._queue: list[tuple[str, Any]] = []
        self.epochs = QSpinBox()
        self.epochs.setRange(1, 20)
        self.epochs.setValue(2)
        self.n_images = QSpinBox()
        self.n_images.setRange(200, 4000)
        self.n_images.setSingleStep(200)
        self.n_images.setValue(300)
        self.task = QComboBox()
        for t in TASKS:
            self.task.addItem("", t)
        self.layers = QListWidget()
        self.layers.setMaximumHeight(130)
        self.run_button = QPushButton()
        self.run_button.setMinimumHeight(32)
        self.run_button.clicked.connect(self.run)
        self.info = QLabel()
        self.info.setWordWrap(True)
        self.table = QTableWidget(2, 3)
        # the figures keep their columns' width; the model names take the rest and wrap (French is long)
        self.table.verticalHeader().setVisible(False)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in (1, 2):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().sectionResized.connect(lambda *_: self._fit_table_height())
        self.plot = pg.PlotWidget(background="w")
        self.plot.showGrid(x=True, y=True, alpha=0.25)
        self.plot.setYRange(0, 1)
        self.plot.addLegend(offset=(-10, -10), labelTextSize="12pt", labelTextColor="k")
        for name in ("left", "bottom"):
            self.plot.getAxis(name).setTextPen("k")
            self.plot.getAxis(name).setPen("k")
        self._curve_t = self.plot.plot(pen=pg.mkPen("#1f5fbf", width=3), symbol="o", symbolBrush="#1f5fbf")
        self._curve_s = self.plot.plot(
            pen=pg.mkPen("#808080", width=3, style=Qt.PenStyle.DashLine), symbol="s", symbolBrush="#808080"
        )
        self.settings = QGroupBox()
        box = QVBoxLayout(self.settings)
        form = QFormLayout()
        self._l_epochs, self._l_n, self._l_layers = QLabel(), QLabel(), QLabel()
        self._l_layers.setWordWrap(True)
        self._l_task = QLabel()
        form.addRow(self._l_task, self.task)
        form.addRow(self._l_epochs, self.epochs)
        form.addRow(self._l_n, self.n_images)
        box.addLayout(form)
        box.addWidget(self._l_layers)
        box.addWidget(self.layers)
        box.addStretch(1)
        box.addWidget(self.run_button)
        right = QVBoxLayout()
        right.addWidget(self.info)
        right.addWidget(self.table)
        right.addWidget(self.plot, 1)
        lay = QHBoxLayout(self)
        lay.addWidget(self.settings, 2)
        lay.addLayout(right, 3)
        self.retranslate()

    def _fit_table_height(self) -> None:
        """As tall as its header (two lines in French) and its two rows, which wrap when narrow."""
        t = self.table
        height = (
            t.horizontalHeader().sizeHint().height()
            + sum(t.rowHeight(r) for r in range(t.rowCount()))
            + 2 * t.frameWidth()
        )
        t.setFixedHeight(height)

    def _configs(self) -> list[dict]:
        s = self._tab.session
        if s.arch_configs is not None:
            return s.arch_configs
        return preset_configs(s.arch_name, (28, 28, 1), 10)

    def refresh_layers(self) -> None:
        """One checkbox per base layer with weights (ticked: frozen)."""
        self.layers.clear()
        configs = self._configs()
        n = base_length(configs)
        for i, entry in enumerate(configs[:n]):
            if entry["class_name"] not in ("Conv2D",):
                continue
            item = QListWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, i)
            item.setData(Qt.ItemDataRole.UserRole + 1, (entry["class_name"], entry["config"].get("filters")))
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.layers.addItem(item)
        self._name_layers()

    def _name_layers(self) -> None:
        """``3. Conv2D (32 filters)`` for each layer of the list, in the current language."""
        for r in range(self.layers.count()):
            item = self.layers.item(r)
            cls, filters = item.data(Qt.ItemDataRole.UserRole + 1)
            i = int(item.data(Qt.ItemDataRole.UserRole)) + 1
            if filters == 1:
                item.setText(self.tr("{i}. {cls} (1 filter)").format(i=i, cls=cls))
            else:
                item.setText(self.tr("{i}. {cls} ({n} filters)").format(i=i, cls=cls, n=filters))

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self.layers.count() == 0 and not self.running:
            try:
                self.refresh_layers()
            except ValueError as exc:  # an architecture without Flatten / global pooling
                self.info.setText(str(exc))

    def frozen(self) -> set[int]:
        out = set()
        for r in range(self.layers.count()):
            item = self.layers.item(r)
            if item.checkState() == Qt.CheckState.Checked:
                out.add(int(item.data(Qt.ItemDataRole.UserRole)))
        return out

    def run(self) -> None:
        """Start the experiment (see the module docstring)."""
        if self.running:
            return
        if self.layers.count() == 0:
            self.refresh_layers()
        self.running = True
        self.run_button.setEnabled(False)
        self.results = {"transfer": [], "scratch": []}
        self._draw()
        self.plot.setXRange(0.8, self.epochs.value() + 0.2)
        self.plot.getAxis("bottom").setTickSpacing(1, 1)
        configs, frozen, epochs = self._configs(), self.frozen(), self.epochs.value()
        task = self.task.currentData()
        n = self.n_images.value()
        state: dict[str, Any] = {}
        session = self._tab.session

        def prepare() -> dict:
            a, b = task_data(task, n)
            base = fresh_model(configs, a.input_shape, a.num_classes, seed=0)
            compile_model(base, "Adam", 1e-3)
            t0 = time.perf_counter()
            for e in range(epochs):
                base.fit(a.x_train, a.y_train, epochs=1, batch_size=32, verbose=0, seed=e)
            pre_s = time.perf_counter() - t0
            _, acc_a = base.evaluate(a.x_val, a.y_val, verbose=0)
            tm = transfer_model(base, b.num_classes, frozen, seed=0)
            compile_model(tm, "Adam", 1e-3)
            sm = fresh_model(configs, b.input_shape, b.num_classes, seed=0)
            compile_model(sm, "Adam", 1e-3)
            return {"b": b, "transfer": tm, "scratch": sm, "pre_s": pre_s, "acc_a": float(acc_a)}

        def prepared(st: dict) -> None:
            state.update(st)
            self.pretrain_s = st["pre_s"]
            self.info.setText(
                self.tr(
                    "Base trained on {a}: {acc:.1%} validation accuracy in {s:.1f} s. Now training on {b}..."
                ).format(a=self._names()[0], b=self._names()[1], acc=st["acc_a"], s=st["pre_s"])
            )
            self._queue = [(kind, e) for e in range(epochs) for kind in ("transfer", "scratch")]
            self._next(state)

        self.info.setText(self.tr("Training the base network on {a}...").format(a=self._names()[0]))
        session.run(prepare, prepared, self._failed)

    def _next(self, state: dict) -> None:
        if not self._queue:
            self._finish()
            return
        kind, e = self._queue.pop(0)

        def done(r: tuple[float, float]) -> None:
            self.results[kind].append(r)
            self._draw()
            self._next(state)

        self._tab.session.run(lambda: train_epoch(state[kind], state["b"], seed=e), done, self._failed)

    def _failed(self, message: str) -> None:
        self.running = False
        self.run_button.setEnabled(True)
        self.info.setText(f"<span style='color:#c00000'>{message}</span>")

    def _finish(self) -> None:
        self.running = False
        self.run_button.setEnabled(True)
        t = sum(r[0] for r in self.results["transfer"])
        s = sum(r[0] for r in self.results["scratch"])
        self.info.setText(
            self.tr(
                "On {task}, the frozen base reached {a:.1%} in {t:.1f} s; from scratch "
                "{b:.1%} in {s:.1f} s: the frozen base trained {x:.1f}x faster."
            ).format(
                task=self._names()[1],
                a=self.results["transfer"][-1][1],
                t=t,
                b=self.results["scratch"][-1][1],
                s=s,
                x=s / max(t, 1e-9),
            )
        )

    def _draw(self) -> None:
        for row, kind in enumerate(("transfer", "scratch")):
            res = self.results[kind]
            secs = sum(r[0] for r in res)
            acc = res[-1][1] if res else float("nan")
            self.table.setItem(row, 1, QTableWidgetItem(f"{secs:.2f}" if res else "-"))
            self.table.setItem(row, 2, QTableWidgetItem(f"{acc:.1%}" if res else "-"))
        self._curve_t.setData(
            np.arange(1, len(self.results["transfer"]) + 1), [r[1] for r in self.results["transfer"]]
        )
        self._curve_s.setData(
            np.arange(1, len(self.results["scratch"]) + 1), [r[1] for r in self.results["scratch"]]
        )

    def _names(self) -> tuple[str, str]:
        """Task A and task B of the chosen experiment, in words."""
        if self.task.currentData() == "shapes":
            return self.tr("the ten digits"), self.tr("the synthetic shapes")
        return self.tr("digits 0-4"), self.tr("digits 5-9")

    def retranslate(self) -> None:
        self.settings.setTitle(self.tr("Reuse a trained convolutional base"))
        self._l_task.setText(self.tr("Task"))
        self.task.setItemText(0, self.tr("digits 0-4 -> digits 5-9"))
        self.task.setItemText(1, self.tr("digits -> synthetic shapes"))
        self._l_epochs.setText(self.tr("Epochs per phase"))
        self._l_n.setText(self.tr("Images for task B"))
        self._l_layers.setText(self.tr("Frozen layers of the base (ticked = not trained):"))
        self._name_layers()
        self.run_button.setText(self.tr("Run the comparison"))
        self.table.setHorizontalHeaderLabels(
            [self.tr("Model"), self.tr("Training time (s)"), self.tr("Validation accuracy")]
        )
        self.table.setItem(0, 0, QTableWidgetItem(self.tr("Frozen base + new head")))
        self.table.setItem(1, 0, QTableWidgetItem(self.tr("From scratch")))
        self._fit_table_height()
        self.plot.setLabel("bottom", self.tr("epoch on task B"))
        self.plot.setLabel("left", self.tr("validation accuracy"))
        legend = self.plot.getPlotItem().legend
        legend.clear()
        legend.addItem(self._curve_t, self.tr("frozen base"))
        legend.addItem(self._curve_s, self.tr("from scratch"))
        if not self.info.text():
            self.info.setText(
                self.tr(
                    "Trains a base on task A, reuses its convolutions for task B and "
                    "compares with training from scratch."
                )
            )
