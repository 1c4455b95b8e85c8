"""The Training tab: train the current network live, batch by batch, and watch it learn.

Controls on the left (data: grey or colour, size; hyper-parameters; start / pause / step / stop / reset);
on the right the loss and accuracy curves, a progress bar with images/second and ETA, and below them three
pages: the live view (the first layer's filters, the confusion matrix of the validation set and the most
confident mistakes), transfer learning, and the augmentation settings with their preview.
Every engine call runs in the engine thread (:mod:`gui.workers`); this widget only draws, at most ~20 times/s.

A second page, Sweep (:mod:`gui.tabs.training_sweep`), trains many networks at once on Dask, one per
combination of hyper-parameters, and compares them.
"""

from __future__ import annotations

import math
import time
from typing import Any

import numpy as np
from PySide6.QtCore import QEvent, QSignalBlocker, Qt, QTimer
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

from gui.models.augmentation import LESSON_SETTINGS, clean_settings, make_augmenter, preview_variants
from gui.models.data import default_format
from gui.models.session import OPTIMIZERS, adapt_head, first_conv_kernel, preset_configs
from gui.tabs._session_tab import SessionTabMixin
from gui.tabs.training_sweep import SweepHost
from gui.widgets.mode_tabs import ModeTabs
from gui.widgets.net_session import LabSession
from gui.widgets.side_fold import SideFold
from gui.widgets.train_augment import PREVIEW_VARIANTS, AugmentPanel
from gui.widgets.train_controls import TrainingControls
from gui.widgets.train_guard import TrainingAlert, chance_and_size
from gui.widgets.train_live import LiveView
from gui.widgets.train_plots import CurvesPanel
from gui.widgets.train_transfer import TransferPanel
from gui.workers import TrainingPlan, validation_report

__all__ = ["TrainingTab"]

REDRAW_MS = 50  # views redraw at most 20 times per second
FORMAT_DELAY_MS = 400  # a new colour mode or size reloads the data this long after the last change

#: the bottom pages, by name (``show_page``)
PAGES = ("live", "transfer", "augmentation")

#: the lesson's sections this tab shows (see :mod:`gui.models.lesson`)
LESSON_SECTIONS = ("hyperparameters", "training", "transfer", "augmentation")


def _fmt_eta(seconds: float) -> str:
    if not math.isfinite(seconds):
        return "--:--"
    s = round(seconds)
    return f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}" if s >= 3600 else f"{s // 60}:{s % 60:02d}"


class TrainingTab(SweepHost, SessionTabMixin, QWidget):
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
        self._cifar = ""
        self._preview_generation = 0
        self._preview_shown = -1
        self._preview_seed = 0
        self._lesson: str | None = None
        self._ready_when_built = False  # the data came while a model was being built: say Ready once it is
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
        self.augment = AugmentPanel()
        self.bottom = QTabWidget()
        self.bottom.addTab(self.live, "")
        self.bottom.addTab(self.transfer, "")
        self.bottom.addTab(self.augment, "")

        top = QWidget()
        top_lay = QVBoxLayout(top)
        top_lay.setContentsMargins(0, 0, 0, 0)
        top_lay.addWidget(self.curves, 1)
        top_lay.addWidget(self.progress)
        top_lay.addWidget(self.status)
        top_lay.addWidget(self.alert)
        split = self.split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(top)
        split.addWidget(self.bottom)
        split.setStretchFactor(0, 5)
        split.setStretchFactor(1, 4)
        # the settings fold into a strip when they and the views do not fit (1024 px with the lesson panel)
        self.fold = SideFold(scroll, split, lambda: self.tr("Settings"))
        self.single = QWidget()
        outer = QHBoxLayout(self.single)
        outer.setContentsMargins(4, 4, 4, 4)  # as the other tabs: the whole tab fits 1024 x 700
        outer.addWidget(self.fold)
        self.modes = ModeTabs()  # one network, trained live; or a sweep of many
        self.modes.addTab(self.single, "")
        self.modes.addTab(self._build_sweep(), "")
        page_lay = QVBoxLayout(self)
        page_lay.setContentsMargins(0, 0, 0, 0)
        page_lay.addWidget(self.modes)

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
        self._format_timer = QTimer(self)
        self._format_timer.setSingleShot(True)
        self._format_timer.setInterval(FORMAT_DELAY_MS)
        self._format_timer.timeout.connect(self._format_settled)
        c.formatChanged.connect(self._format_changed)
        c.augment.toggled.connect(self._sync_augment_box)
        self.augment.use.toggled.connect(c.augment.setChecked)
        self.augment.settingsChanged.connect(lambda _s: self.request_preview())
        self.augment.redrawRequested.connect(self._new_draws)
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
        if kind in ("folder", "cifar10") and not self._path_of(kind):
            self._choose_folder()
            return
        self._data_kind = kind
        self.load_data()

    def _path_of(self, kind: str) -> str:
        return self._folder if kind == "folder" else self._cifar if kind == "cifar10" else ""

    def _mark_data_dirty(self, *_: Any) -> None:
        self._data_dirty = True

    def _format_changed(self) -> None:
        """Colour or size changed: reload once the learner stops changing them (if a data set is loaded)."""
        self._data_dirty = True
        self._format_timer.start()

    def _format_settled(self) -> None:
        if self._state == "idle" and self.session.data is not None:
            self.load_data()

    def _choose_folder(self) -> None:
        kind = self.controls.dataset.currentData()
        if kind == "cifar10":
            title = self.tr("Folder with the CIFAR-10 python batches (data_batch_1 ... test_batch)")
        else:
            kind = "folder"
            title = self.tr("Folder with one sub-folder per class")
        path = QFileDialog.getExistingDirectory(self, title)
        if path:
            self.set_folder(kind, path)

    def set_folder(self, kind: str, path: str) -> None:
        """Use the folder ``path`` for ``kind`` (``"folder"`` or ``"cifar10"``) and load it."""
        if kind == "cifar10":
            self._cifar = path
        else:
            self._folder = path
        self._data_kind = kind
        if self.controls.dataset.currentData() != kind:  # a new kind starts from its own colour and size
            with QSignalBlocker(self.controls.dataset):
                self.controls.dataset.setCurrentIndex(self.controls.dataset.findData(kind))
            self.controls.set_format(*default_format(kind))
        self.controls.browse.setVisible(True)
        self.load_data()

    def load_data(self, then: str | None = None) -> None:
        """Load the chosen data set (engine thread); ``then`` ("run"/"step") starts training afterwards."""
        kind = self._data_kind
        self._data_dirty = False
        self._format_timer.stop()
        c = self.controls
        n = c.n_train.value()
        kw: dict[str, Any] = {
            "n_train": n,
            "n_val": max(200, n // 4),
            "seed": c.seed.value(),
            "color_mode": c.color_mode(),
            "image_size": c.image_size(),
        }
        if kind == "folder":
            kw.update(folder=self._folder, n_train=None, n_val=None)
        elif kind == "cifar10":
            kw.update(folder=self._cifar)
        self._status(self.tr("Loading the data set..."))
        self.session.load_data(kind, lambda data: self._data_ready(then), self._error, **kw)

    def _data_ready(self, then: str | None) -> None:
        data = self.session.data
        assert data is not None
        self.controls.data_info.setText(
            self.tr("{n} training / {v} validation images of {h} × {w} × {c}, {k} classes").format(
                n=len(data.x_train),
                v=len(data.x_val),
                h=data.input_shape[0],
                w=data.input_shape[1],
                c=data.input_shape[2],
                k=data.num_classes,
            )
        )
        self.request_preview()
        info = self.session.info
        if self.session.building:
            self._pending_start = then  # the Network tab is building for this data: start when it is done
            self._ready_when_built = True
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
        elif self._ready_when_built:
            self._status(self.tr("Ready."))  # the data waited for this build, which is done
        self._ready_when_built = False

    # ------------------------------------------------------------------------------------------- run control
    def _plan(self) -> TrainingPlan:
        s, c = self.session, self.controls
        data = s.data
        assert data is not None
        bs, epochs = c.batch_size.value(), c.epochs.value()
        steps = math.ceil(len(data.x_train) / bs)
        self._steps_per_epoch = steps
        augmenter = make_augmenter(self.augment.settings(), c.seed.value()) if c.augment.isChecked() else None
        return TrainingPlan(
            model=s.model,
            x_train=data.x_train,
            y_train=data.y_train,
            x_val=data.x_val,
            y_val=data.y_val,
            batch_size=bs,
            epochs=epochs,
            seed=c.seed.value(),
            augment=augmenter,
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
    def show_page(self, name: str, room: bool = False) -> None:
        """Bring the bottom page ``name`` (one of :data:`PAGES`) to the front; ``room``: give it most of the
        height (the curves keep a third)."""
        self.modes.setCurrentWidget(self.single)
        self.bottom.setCurrentIndex(PAGES.index(name))
        if room:
            total = sum(self.split.sizes()) or self.split.height()
            self.split.setSizes([total // 3, total - total // 3])

    def show_augment_preview(self) -> AugmentPanel:
        """The augmentation page: its settings and one training image with five random variants."""
        self.show_page("augmentation")
        if self.session.data is None:
            self.load_data()
        else:
            self.request_preview()
        return self.augment

    def _sync_augment_box(self, on: bool) -> None:
        with QSignalBlocker(self.augment.use):
            self.augment.use.setChecked(on)

    def _new_draws(self) -> None:
        self._preview_seed += 1
        self.request_preview()

    def request_preview(self) -> None:
        """Draw the preview again for the current settings (engine thread; stale answers are dropped)."""
        data = self.session.data
        if data is None or not len(data.x_train):
            return
        self._preview_generation += 1
        gen = self._preview_generation
        image = data.x_train[self.augment.image_index % len(data.x_train)]
        settings, seed = self.augment.settings(), self.controls.seed.value() + self._preview_seed

        def done(variants: np.ndarray) -> None:
            if gen == self._preview_generation:
                self.augment.show_preview(image, variants)
                self._preview_shown = gen

        self.session.run(lambda: preview_variants(image, settings, seed, PREVIEW_VARIANTS), done, self._error)

    def preview_ready(self) -> bool:
        """True once the preview shows the current settings."""
        return self._preview_shown == self._preview_generation and self.augment.preview_count() > 0

    # ------------------------------------------------------------------------------------------- lesson
    def show_lesson(self, section_id: str) -> bool:
        """Set the view of a lesson section up (contract of :mod:`gui.models.lesson`): the Sweep page with the
        lesson's hyper-parameters ready to compare, live training (started when nothing was trained yet),
        transfer learning, or the augmentation page with the lesson's values. Returns False for sections this
        tab does not show."""
        if section_id not in LESSON_SECTIONS:
            return False
        self._lesson = section_id
        if section_id == "hyperparameters":
            self.show_sweep(lesson=True)
            self._flash(self.sweep_page.params)
        elif section_id == "training":
            self.show_page("live")
            if self._state == "idle" and self.curves.point_counts().get("loss", 0) == 0:
                self.start("run")
        elif section_id == "transfer":
            self.show_page("transfer", room=True)
            if not self.transfer.running and self.transfer.layers.count() == 0:
                self.transfer.refresh_layers()
        else:
            self.augment.set_settings(LESSON_SETTINGS)
            self.show_augment_preview()
            self.show_page("augmentation", room=True)
        return True

    def lesson_ready(self) -> bool:
        """True once the view of the last :meth:`show_lesson` is drawn: the preview for augmentation, the
        first epoch's report for training (or the end of the run)."""
        if self._lesson == "augmentation":
            return self.preview_ready()
        if self._lesson == "training":
            done = self._state == "idle" and self._finished_reason != ""
            return done or self.confusion.matrix() is not None
        return True

    def _flash(self, box: QWidget) -> None:
        """Outline ``box`` for two seconds, so the eye finds it."""
        box.setStyleSheet("QGroupBox { border: 2px solid #d04000; border-radius: 4px; margin-top: 1.2em; }")
        QTimer.singleShot(2000, self, lambda: box.setStyleSheet(""))

    # ------------------------------------------------------------------------------------------- state
    def state(self) -> dict[str, Any]:
        """Every setting of the tab, JSON-ready (the lesson state file)."""
        c, t = self.controls, self.transfer
        return {
            "dataset": self._data_kind,
            "folder": self._folder,
            "cifar10": self._cifar,
            "color": c.color.currentData(),
            "size": list(c.image_size()),
            "n_train": c.n_train.value(),
            "optimizer": c.optimizer.currentData(),
            "learning_rate": c.learning_rate.value(),
            "batch_size": c.batch_size.value(),
            "epochs": c.epochs.value(),
            "seed": c.seed.value(),
            "augment": c.augment.isChecked(),
            "augmentation": self.augment.settings(),
            "transfer": {
                "task": t.task.currentData(),
                "epochs": t.epochs.value(),
                "images": t.n_images.value(),
            },
            "page": PAGES[self.bottom.currentIndex()],
            "mode": "sweep" if self.modes.currentWidget() is self.sweep_page else "single",
            "sweep": self.sweep_page.state(),
        }

    def restore_state(self, state: dict[str, Any]) -> None:
        """Apply a :meth:`state` dict (unknown keys ignored, missing keys keep their value); load its data.

        Raises ``ValueError`` naming the entry that is wrong; nothing is changed then.
        """
        c, t = self.controls, self.transfer
        kind = state.get("dataset", self._data_kind)
        if kind not in ("digits", "shapes", "folder", "cifar10"):
            raise ValueError(f"dataset must be digits, shapes, folder or cifar10. Received: {kind!r}")
        color = state.get("color", c.color.currentData())
        if c.color.findData(color) < 0:
            raise ValueError(f"color must be auto, grayscale or rgb. Received: {color!r}")
        optimizer = state.get("optimizer", c.optimizer.currentData())
        if optimizer not in OPTIMIZERS:
            raise ValueError(f"optimizer must be one of {tuple(OPTIMIZERS)}. Received: {optimizer!r}")
        size = state.get("size", list(c.image_size()))
        if not (isinstance(size, (list, tuple)) and len(size) == 2):
            raise ValueError(f"size must be [height, width]. Received: {size!r}")
        settings = {**self.augment.settings(), **state.get("augmentation", {})}
        clean_settings(settings)  # raises before anything changes
        mode = state.get("mode", "single")
        if mode not in ("single", "sweep"):
            raise ValueError(f"mode must be 'single' or 'sweep'. Received: {mode!r}")
        self.sweep_page.check_state(state.get("sweep", {}))
        self.stop()
        self.augment.set_settings(settings)
        self._folder = str(state.get("folder", self._folder) or "")
        self._cifar = str(state.get("cifar10", self._cifar) or "")
        if kind in ("folder", "cifar10") and not self._path_of(kind):
            kind = "digits"
        with QSignalBlocker(c.dataset):
            c.dataset.setCurrentIndex(c.dataset.findData(kind))
        c.browse.setVisible(kind in ("folder", "cifar10"))
        c.set_format(None if color == "auto" else color, (int(size[0]), int(size[1])))
        for spin, key in (
            (c.n_train, "n_train"),
            (c.batch_size, "batch_size"),
            (c.epochs, "epochs"),
            (c.seed, "seed"),
        ):
            spin.setValue(int(state.get(key, spin.value())))
        c.learning_rate.setValue(float(state.get("learning_rate", c.learning_rate.value())))
        c.optimizer.setCurrentIndex(c.optimizer.findData(optimizer))
        c.augment.setChecked(bool(state.get("augment", c.augment.isChecked())))
        tr = state.get("transfer", {})
        t.task.setCurrentIndex(max(t.task.findData(tr.get("task", t.task.currentData())), 0))
        t.epochs.setValue(int(tr.get("epochs", t.epochs.value())))
        t.n_images.setValue(int(tr.get("images", t.n_images.value())))
        page = state.get("page", "live")
        self.show_page(page if page in PAGES else "live")
        self.sweep_page.restore_state(state.get("sweep", {}))
        if mode == "sweep":
            self.show_sweep()
        self._data_kind = kind
        self.load_data()

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
        self.sweep_page.shutdown()  # cancels a running sweep; its embedded cluster closes
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
        self.bottom.setTabText(2, self.tr("Augmentation"))
        self._retranslate_modes()
        self.transfer.retranslate()
        if not self.status.text():
            self.status.setText(self.tr("Choose a data set and press Start."))
