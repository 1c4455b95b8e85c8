"""The state the Network, Training and Backprop tabs share: the data set, the model and the engine thread.

One :class:`LabSession` per main window (:meth:`LabSession.for_window`). The model object is only ever touched
inside engine-thread jobs (:meth:`LabSession.run`); the GUI thread sees copies (summaries, weights, maps) that
the jobs return. What the jobs do with the model is Qt-free and lives in :mod:`gui.models.session`; this
module adds the signals and the engine thread.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, Signal

from gui.models.data import LabData, load_lab_data
from gui.models.session import ModelInfo, adapt_head, compile_model, model_info, preset_configs
from gui.workers import EngineWorker

__all__ = ["LabSession"]


class LabSession(QObject):
    """Shared state of the learning tabs (see the module docstring).

    Signals
    -------
    dataChanged(): a new data set is loaded (``self.data``).
    modelChanged(object): a new model is in place; the argument is its :class:`ModelInfo`.
    weightsChanged(): the weights changed (training updates, reset, load): views recompute what they show.
    modelRefused(str): an architecture could not be built; the previous model is kept.
    """

    dataChanged = Signal()
    modelChanged = Signal(object)
    weightsChanged = Signal()
    modelRefused = Signal(str)

    def __init__(self, worker: EngineWorker | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._own_worker = worker is None
        self.worker = worker or EngineWorker()
        if not self.worker.isRunning():
            self.worker.start()
        self.data: LabData | None = None
        self.info: ModelInfo | None = None
        self.model: Any = None  # touched only inside engine-thread jobs
        self.initial_weights: list[np.ndarray] | None = None
        self.optimizer = "Adam"
        self.learning_rate = 1e-3
        self.seed = 0
        self.training = False
        #: the architecture the Network tab edits: layer configs ``[{"class_name", "config"}]`` (no input
        #: shape)
        self.arch_configs: list[dict] | None = None
        self.arch_name = "small"
        #: a build job is queued (both tabs react to a new data set; only one builds)
        self.building = False
        #: the current weights were trained (or loaded from a file) since the model was built or reset: the
        #: Network tab's views that only make sense for a trained network offer to train it otherwise
        self.trained = False
        self.worker.batchDone.connect(self._on_batch)

    def _on_batch(self, _update: dict) -> None:
        if self.training:
            self.trained = True

    @classmethod
    def for_window(cls, window: Any) -> LabSession:
        """The session of ``window`` (created on first use, sharing ``window.engine_worker`` when it has
        one)."""
        session = getattr(window, "_convscope_lab_session", None)
        if session is None:
            session = cls(getattr(window, "engine_worker", None), parent=window)
            window._convscope_lab_session = session
        return session

    # ----------------------------------------------------------------------------------------- engine jobs
    def run(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[str], None] | None = None,
    ) -> int:
        """Run ``fn`` in the engine thread (see :meth:`EngineWorker.submit`)."""
        return self.worker.submit(fn, on_done, on_error)

    def load_data(
        self,
        kind: str,
        on_done: Callable[[LabData], None] | None = None,
        on_error: Callable[[str], None] | None = None,
        **kw: Any,
    ) -> None:
        """Load a data set in the engine thread, then make it current and emit ``dataChanged``."""

        def done(data: LabData) -> None:
            self.data = data
            self.dataChanged.emit()
            if on_done is not None:
                on_done(data)

        self.run(lambda: load_lab_data(kind, **kw), done, on_error)

    def build_model(
        self,
        layer_configs: list[dict],
        input_shape: tuple,
        seed: int = 0,
        on_done: Callable[[ModelInfo], None] | None = None,
        on_error: Callable[[str], None] | None = None,
        base: Any = None,
    ) -> None:
        """Build ``Sequential`` from ``[{"class_name", "config"}, ...]`` for ``input_shape`` in the engine
        thread.

        On success the model replaces the current one (its initial weights are kept for "reset"); on failure
        (e.g. "input 1x1 is too small for MaxPooling2D 2x2 at layer 6 (max_pooling2d_2)") ``modelRefused`` is
        emitted with the engine's message and the previous model stays.
        """
        configs = copy.deepcopy(layer_configs)
        optimizer, lr = self.optimizer, self.learning_rate

        def job() -> tuple[Any, ModelInfo, list[np.ndarray]]:
            from engine.models import Sequential, layer_from_config

            layers = [layer_from_config(c) for c in configs]
            for layer in layers:
                if hasattr(layer, "input_shape"):
                    layer.input_shape = None
            model = Sequential(name="convscope", seed=int(seed))
            if base is not None:
                model.add(base)
            for layer in layers:
                model.add(layer)
            model.build(tuple(input_shape))
            compile_model(model, optimizer, lr)
            return model, model_info(model), model.get_weights()

        def done(result: tuple[Any, ModelInfo, list[np.ndarray]]) -> None:
            self.building = False
            self.model, self.info, self.initial_weights = result
            self.trained = False
            self.modelChanged.emit(self.info)
            if on_done is not None:
                on_done(self.info)

        def failed(message: str) -> None:
            self.building = False
            self.modelRefused.emit(message.split(": ", 1)[-1])
            if on_error is not None:
                on_error(message)

        self.building = True
        self.run(job, done, failed)

    def ensure_model(self, on_error: Callable[[str], None] | None = None) -> None:
        """Build the current architecture for the loaded data unless a fitting model exists or is being
        built."""
        data = self.data
        if data is None or self.building:
            return
        info = self.info
        if info is not None and info.input_shape == data.input_shape and info.num_classes == data.num_classes:
            return
        configs = self.arch_configs or preset_configs(self.arch_name, data.input_shape, data.num_classes)
        self.build_model(
            adapt_head(configs, data.num_classes), data.input_shape, seed=self.seed, on_error=on_error
        )

    def set_model(
        self,
        model: Any,
        info: ModelInfo,
        initial_weights: list[np.ndarray] | None = None,
        trained: bool = True,
    ) -> None:
        """Make an already built model current (GUI thread, from a job's result); a model read from a file
        counts as ``trained``."""
        self.model, self.info = model, info
        self.initial_weights = initial_weights
        self.trained = bool(trained)
        self.modelChanged.emit(info)

    def recompile(
        self,
        optimizer: str,
        learning_rate: float,
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[str], None] | None = None,
    ) -> None:
        """Fresh optimizer state with these settings (engine thread)."""
        self.optimizer, self.learning_rate = optimizer, float(learning_rate)
        model = self.model
        if model is None:
            return
        self.run(lambda: compile_model(model, optimizer, learning_rate), on_done, on_error)

    def reset_weights(self, on_done: Callable[[Any], None] | None = None) -> None:
        """Back to the very weights the model was built with, and a fresh optimizer (TF Playground's
        reset)."""
        model, weights = self.model, self.initial_weights
        if model is None or weights is None:
            return
        optimizer, lr = self.optimizer, self.learning_rate

        def job() -> None:
            model.set_weights([w.copy() for w in weights])
            compile_model(model, optimizer, lr)

        def done(_: Any) -> None:
            self.trained = False
            self.weightsChanged.emit()
            if on_done is not None:
                on_done(None)

        self.run(job, done)

    def notify_weights_changed(self, trained: bool | None = None) -> None:
        """Tell the views the weights changed; ``trained=True`` after a training job outside the worker's
        training loop (the Network tab's one-click training)."""
        if trained is not None:
            self.trained = bool(trained)
        self.weightsChanged.emit()

    def shutdown(self) -> None:
        """Stop training and end the engine thread if this session created it."""
        self.worker.stop()
        if self._own_worker:
            self.worker.shutdown()
