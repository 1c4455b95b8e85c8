"""The Training tab: train the current network live, batch by batch, and watch it learn.

Controls on the left (data, hyper-parameters, start / pause / step / stop / reset); on the right the loss and
accuracy curves, a progress bar with images/second and ETA, and below them the first layer's filters, the
confusion matrix of the validation set and the most confident mistakes, plus the transfer-learning page.
Every engine call runs in the engine thread (:mod:`gui.workers`); this widget only draws, at most ~20 times/s.
"""

from __future__ import annotations

import math
import time
from typing import Any

import numpy as np
from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from gui.models.session import adapt_head, first_conv_kernel, preset_configs
from gui.tabs._session_tab import SessionTabMixin
from gui.widgets.net_session import LabSession
from gui.widgets.train_controls import TrainingControls
from gui.widgets.train_guard import TrainingAlert, chance_and_size
from gui.widgets.train_live import AugmentPreview, LiveView, make_augmenter
from gui.widgets.train_plots import CurvesPanel
from gui.widgets.train_transfer import TransferPanel
from gui.workers import TrainingPlan, validation_report

__all__ = ["TrainingTab"]

REDRAW_MS = 50  # views redraw at most 20 times per second


def _fmt_eta(seconds: float) -> str:
    if not math.isfinite(seconds):
        return "--:--"
    s = round(seconds)
    return f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}" if s >= 3600 else f"{s // 60}:{s % 60:02d}"


class TrainingTab(SessionTabMixin, QWidget):
    """See the module docstring. Works standalone (its own engine thread) or inside the main window."""

    def __init__(self, parent: QWidget | None = None, session: LabSession | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._window: Any = None
        self._state = "idle"
        self._pending_start: str | None = None  # "run" or "step" once data and model are ready
        self._step_offset = 0  # batches done by earlier runs, so curves continue
        self._steps_per_epoch = 1
        self._last_batch: dict | None = None
        self._last_probe: np.ndarray | None = None
        self._probe_dirty = False
        self._compiled_with: tuple | None = None
        self._max_batches: int | None = None
        self._last_notify = 0.0
        self._finished_reason = ""
        self._screenshot_done = True
        self._data_kind = "digits"
        self._data_dirty = False  # the subset size changed since the data was loaded
        self._folder = ""
        self.errors: list[str] = []

        self.controls = TrainingControls()
        scroll = QScrollArea()
        scroll.setWidget(self.controls)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setMinimumWidth(min(self.controls.sizeHint().width() + 24, 300))
        scroll.setMaximumWidth(380)

        self.curves = CurvesPanel()
        self.progress = QProgressBar()
        self.progress.setMinimumHeight(26)
        self.status = QLabel()
        self.status.setWordWrap(True)
        f = self.status.font()
        f.setPointSizeF(f.pointSizeF() * 1.15)
        self.status.setFont(f)
        self.alert = TrainingAlert()  # diverging / chance-level runs, with a lower learning rate to try

        self.live = LiveView()
        self.filters, self.confusion, self.mistakes = (
            self.live.filters,
            self.live.confusion,
            self.live.mistakes,
        )
        self.transfer = TransferPanel(self)
        self.bottom = QTabWidget()
        self.bottom.addTab(self.live, "")
        self.bottom.addTab(self.transfer, "")

        top = QWidget()
        top_lay = QVBoxLayout(top)
        top_lay.setContentsMargins(0, 0, 0, 0)
        top_lay.addWidget(self.curves, 1)
        top_lay.addWidget(self.progress)
        top_lay.addWidget(self.status)
        top_lay.addWidget(self.alert)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(top)
        split.addWidget(self.bottom)
        split.setStretchFactor(0, 5)
        split.setStretchFactor(1, 4)
        outer = QHBoxLayout(self)
        outer.addWidget(scroll)
        outer.addWidget(split, 1)

        c = self.controls
        c.start.clicked.connect(lambda: self.start("run"))
        c.pause.clicked.connect(self.toggle_pause)
        c.step.clicked.connect(lambda: self.start("step"))
        c.stop.clicked.connect(self.stop)
        c.reset.clicked.connect(self.reset)
        c.browse.clicked.connect(self._choose_folder)
        c.preview.clicked.connect(self.show_augment_preview)
        c.datasetRequested.connect(self._dataset_requested)
        c.n_train.valueChanged.connect(self._mark_data_dirty)
        c.set_running("idle")
        self._timer = QTimer(self)
        self._timer.setInterval(REDRAW_MS)
        self._timer.timeout.connect(self._redraw)
        self._timer.start()
        self._connected = False
        self.retranslate()

    # ------------------------------------------------------------------------------------------- plumbing
    def _connect_session(self, s: LabSession) -> None:
        w = s.worker
        w.batchDone.connect(self._on_batch)
        w.epochDone.connect(self._on_epoch)
        w.trainingFinished.connect(self._on_finished)
        w.nanLoss.connect(self._on_nan)
        w.failed.connect(self._error)
        w.stateChanged.connect(self._on_state)
        s.modelChanged.connect(self._on_model_changed)
        self.alert.watch(w, self.controls.learning_rate.value, lambda: chance_and_size(s.data))

    def attach(self, window: Any) -> None:
        """Join the main window's shared session (data, model, engine thread)."""
        self._join_window(window)

    def title(self) -> str:
        return self.tr("Training")

    def _status(self, text: str) -> None:
        self.status.setText(text)
        if self._window is not None and hasattr(self._window, "show_status"):
            self._window.show_status(text)

    def _error(self, text: str) -> None:
        self.errors.append(text)
        self.status.setText(f"<span style='color:#c00000'>{text}</span>")
        if self._window is not None and hasattr(self._window, "show_error"):
            self._window.show_error(text)

    # ------------------------------------------------------------------------------------------- data/model
    def _dataset_requested(self, kind: str) -> None:
        if kind == "folder" and not self._folder:
            self._choose_folder()
            return
        self._data_kind = kind
        self.load_data()

    def _mark_data_dirty(self, *_: Any) -> None:
        self._data_dirty = True

    def _choose_folder(self) -> None:
        path = QFileDialog.getExistingDirectory(self, self.tr("Folder with one sub-folder per class"))
        if path:
            self._folder, self._data_kind = path, "folder"
            self.load_data()

    def load_data(self, then: str | None = None) -> None:
        """Load the chosen data set (engine thread); ``then`` ("run"/"step") starts training afterwards."""
        kind = self._data_kind
        self._data_dirty = False
        n = self.controls.n_train.value()
        kw: dict[str, Any] = {"n_train": n, "n_val": max(200, n // 4), "seed": self.controls.seed.value()}
        if kind == "folder":
            kw.update(folder=self._folder, n_train=None, n_val=None)
        self._status(self.tr("Loading the data set..."))
        self.session.load_data(kind, lambda data: self._data_ready(then), self._error, **kw)

    def _data_ready(self, then: str | None) -> None:
        data = self.session.data
        assert data is not None
        self.controls.data_info.setText(
            self.tr("{n} training / {v} validation images, {h}x{w}x{c}, {k} classes").format(
                n=len(data.x_train),
                v=len(data.x_val),
                h=data.input_shape[0],
                w=data.input_shape[1],
                c=data.input_shape[2],
                k=data.num_classes,
            )
        )
        info = self.session.info
        if self.session.building:
            self._pending_start = then  # the Network tab is building for this data: start when it is done
        elif info is None or info.input_shape != data.input_shape or info.num_classes != data.num_classes:
            self._build_for_data(then)
        else:
            self._status(self.tr("Ready."))
            if then:
                self.start(then)

    def _build_for_data(self, then: str | None) -> None:
        s = self.session
        data = s.data
        assert data is not None
        configs = s.arch_configs
        if configs is None:
            configs = preset_configs(s.arch_name, data.input_shape, data.num_classes)
        configs = adapt_head(configs, data.num_classes)

        def done(_: Any) -> None:
            self._status(self.tr("Model built for this data set."))
            if then:
                self.start(then)

        s.build_model(
            configs,
            data.input_shape,
            seed=self.controls.seed.value(),
            on_done=done,
            on_error=lambda m: self._error(self.tr("This network cannot take this data: {m}").format(m=m)),
        )

    def _on_model_changed(self, info: Any) -> None:
        self._compiled_with = (self.session.optimizer, self.session.learning_rate)
        self._step_offset = 0
        self.curves.reset_curves()
        self.live.clear()
        self._last_probe = None
        self._request_probe()
        if not self.transfer.running:
            self.transfer.layers.clear()  # rebuilt from the new architecture when next shown or run
        pending, self._pending_start = self._pending_start, None
        if pending:
            self.start(pending)

    # ------------------------------------------------------------------------------------------- run control
    def _plan(self) -> TrainingPlan:
        s, c = self.session, self.controls
        data = s.data
        assert data is not None
        bs, epochs = c.batch_size.value(), c.epochs.value()
        steps = math.ceil(len(data.x_train) / bs)
        self._steps_per_epoch = steps
        return TrainingPlan(
            model=s.model,
            x_train=data.x_train,
            y_train=data.y_train,
            x_val=data.x_val,
            y_val=data.y_val,
            batch_size=bs,
            epochs=epochs,
            seed=c.seed.value(),
            augment=make_augmenter(c.seed.value()) if c.augment.isChecked() else None,
            max_batches=self._max_batches,
            probe=lambda m: {"kernel": first_conv_kernel(m)},
            val_every=max(1, steps // 4),
            class_names=list(data.class_names),
        )

    def start(self, mode: str = "run") -> None:
        """Start training (``mode="run"``) or run one batch (``"step"``), loading data/model first if
        needed."""
        s = self.session
        if self._state == "paused" and mode == "step":
            s.worker.step()
            return
        if self._state != "idle":
            return
        if s.data is None or self._data_dirty:
            self.load_data(then=mode)
            return
        if s.building:
            self._pending_start = mode
            return
        if s.info is None or s.info.input_shape != s.data.input_shape:
            self._build_for_data(mode)
            return
        wanted = (self.controls.optimizer.currentData(), self.controls.learning_rate.value())
        if wanted != self._compiled_with:
            self._compiled_with = wanted
            s.recompile(*wanted, on_error=self._error)
        self._finished_reason = ""
        s.training = True
        s.worker.start_training(self._plan(), paused=mode == "step")
        if mode == "step":
            s.worker.step()
        self._status(self.tr("Training..."))

    def toggle_pause(self) -> None:
        if self._state == "running":
            self.session.worker.pause()
        elif self._state == "paused":
            self.session.worker.resume()

    def stop(self) -> None:
        self.session.worker.stop()

    def reset(self) -> None:
        """Stop, and put back the exact initial weights (same seed: the same run replays)."""
        s = self.session
        s.worker.stop()
        self._compiled_with = (s.optimizer, s.learning_rate)
        s.reset_weights(lambda _: self._after_reset())

    def _after_reset(self) -> None:
        self._step_offset = 0
        self.curves.reset_curves()
        self.live.clear()
        self.progress.setValue(0)
        self._request_probe()
        self._status(self.tr("Weights reset to their initial values."))

    # ------------------------------------------------------------------------------------------- updates
    def _on_state(self, state: str) -> None:
        self._state = state
        self.controls.set_running(state)
        if state == "paused":
            self._status(self.tr("Paused. Step runs one batch; Resume continues."))
            self.session.notify_weights_changed()

    def _on_batch(self, u: dict) -> None:
        self._last_batch = u
        x = (self._step_offset + u["step"]) / u["steps_per_epoch"]
        self.curves.add_batch(x, u["loss"], u["accuracy"])
        if "val_loss" in u:
            self.curves.add_validation(x, u["val_loss"], u["val_accuracy"])
        if "probe" in u and u["probe"].get("kernel") is not None:
            self._set_probe(u["probe"]["kernel"])
        now = time.monotonic()
        if now - self._last_notify >= 1.0:  # other views (feature maps) follow the weights, once a second
            self._last_notify = now
            self.session.notify_weights_changed()

    def _on_epoch(self, u: dict) -> None:
        x = (self._step_offset + u["step"]) / self._steps_per_epoch
        if "val_loss" in u:
            self.curves.add_validation(x, u["val_loss"], u["val_accuracy"])
            self._show_report(u)
        self.session.notify_weights_changed()

    def _show_report(self, rep: dict) -> None:
        assert self.session.data is not None
        self.live.show_report(rep, self.session.data)

    def _on_finished(self, reason: str) -> None:
        self.session.training = False
        self._finished_reason = reason
        self._redraw()
        if self._last_batch is not None:
            self._step_offset += self._last_batch["step"]
            self._last_batch = None
        messages = {
            "completed": self.tr("Training finished."),
            "stopped": self.tr("Training stopped."),
            "limit": self.tr("Stopped after the requested number of batches."),
        }
        if reason in messages:
            self._status(messages[reason])
        if reason in ("stopped", "limit") and self.session.data is not None:
            data, model = self.session.data, self.session.model
            self.session.run(
                lambda: validation_report(model, data.x_val, data.y_val, data.num_classes),
                self._show_report_final,
                self._error,
            )
        else:
            self._screenshot_done = True
        self.session.notify_weights_changed()

    def _show_report_final(self, rep: dict) -> None:
        self._show_report(rep)
        self._screenshot_done = True

    def _on_nan(self, u: dict) -> None:
        lr = self.controls.learning_rate.value()
        text = self.tr(
            "The loss became NaN at epoch {e}, batch {b}: the learning rate ({lr:g}) is too high. "
            "Try a lower one (e.g. {lr10:g}), then Reset weights."
        ).format(e=u["epoch"] + 1, b=u["batch"] + 1, lr=lr, lr10=lr / 10)
        self._error(text)
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Training diverged"), text, parent=self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()  # not exec(): the event loop keeps turning

    def _request_probe(self) -> None:
        model = self.session.model
        self.session.run(lambda: first_conv_kernel(model), self._set_probe)

    def _set_probe(self, kernel: np.ndarray | None) -> None:
        self._last_probe = kernel
        self._probe_dirty = True

    def _redraw(self) -> None:
        self.curves.refresh()
        u = self._last_batch
        if u is not None:
            self.progress.setMaximum(u["total"])
            self.progress.setValue(u["step"])
            self.progress.setFormat(
                self.tr("epoch {e}/{E} - batch {b}/{B}").format(
                    e=u["epoch"] + 1, E=self.controls.epochs.value(), b=u["batch"] + 1, B=u["steps_per_epoch"]
                )
            )
            if self._state == "running":
                self.status.setText(
                    self.tr("loss {loss:.3f} - accuracy {acc:.1%} - {ips:,.0f} images/s - ETA {eta}").format(
                        loss=u["loss"],
                        acc=u["accuracy"],
                        ips=u["images_per_second"],
                        eta=_fmt_eta(u["eta_s"]),
                    )
                )
        if self._probe_dirty:
            self._probe_dirty = False
            self.live.draw_filters(self._last_probe)

    # ------------------------------------------------------------------------------------------- extras
    def show_augment_preview(self) -> AugmentPreview | None:
        """A dialog: one training image and eight random augmentations of it."""
        data = self.session.data
        if data is None:
            self.load_data()
            return None
        dlg = AugmentPreview(data.x_train[0], self.controls.seed.value(), self)
        dlg.open()
        return dlg

    def prepare_screenshot(self, options: Any) -> None:
        """``--train-steps N``: train N batches on the default data, then show the curves and the report."""
        n = getattr(options, "train_steps", None)
        if n:
            self._max_batches = int(n)
            self._screenshot_done = False
            self.start("run")

    def screenshot_ready(self) -> bool:
        return self._screenshot_done and self._state == "idle"

    def shutdown(self) -> None:
        self._timer.stop()
        if self._session is not None:
            self._session.shutdown()

    def closeEvent(self, event) -> None:
        self.shutdown()
        super().closeEvent(event)

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.controls.retranslate()
        self.controls.set_running(self._state)
        self.curves.retranslate()
        self.live.retranslate()
        self.bottom.setTabText(0, self.tr("Live view"))
        self.bottom.setTabText(1, self.tr("Transfer learning"))
        self.transfer.retranslate()
        if not self.status.text():
            self.status.setText(self.tr("Choose a data set and press Start."))
