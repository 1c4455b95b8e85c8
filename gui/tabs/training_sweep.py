"""The Training tab's Sweep page as the tab hosts it: the page itself, the lesson's hyper-parameters, and
opening a trial's trained network in the Network tab.

Mixed into :class:`gui.tabs.training.TrainingTab` (which provides ``session``, ``controls``, ``_window``...);
its strings are in the ``SweepHost`` translation context.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSignalBlocker
from PySide6.QtWidgets import QWidget

from gui.models.data import default_format, load_lab_data
from gui.models.session import OPTIMIZERS, compile_model, model_info
from gui.models.sweep_setup import lab_data_request
from gui.widgets.mode_tabs import ModeTabs
from gui.widgets.sweep_page import SweepPage

__all__ = ["SweepHost"]

# the sweep's optimizer names -> the app's (gui.models.session.OPTIMIZERS)
_OPTIMIZER_NAMES = {name.lower(): name for name in OPTIMIZERS}

if TYPE_CHECKING:
    _Tab = QWidget
else:
    _Tab = object


class SweepHost(_Tab):
    """The Sweep page inside the Training tab (see the module docstring)."""

    sweep_page: SweepPage
    modes: ModeTabs
    session: Any
    controls: Any
    _window: Any
    _data_kind: str
    _folder: str
    _cifar: str

    def _build_sweep(self) -> SweepPage:
        page = self.sweep_page = SweepPage()
        page.openRequested.connect(self.open_trial_model)
        return page

    def _retranslate_modes(self) -> None:
        """The texts of the two pages' tabs (their strings live with the Sweep page's, in ``sweep_fr.ts``)."""
        self.modes.setTabText(0, self.tr("Train one network"))
        self.modes.setTabText(1, self.tr("Sweep: compare many"))
        self.modes.setTabToolTip(
            1,
            self.tr(
                "Train one network per combination of hyper-parameters, several at once, and compare them"
            ),
        )

    def show_sweep(self, lesson: bool = False) -> SweepPage:
        """Bring the Sweep page to the front; ``lesson``: with the lesson's hyper-parameters preset."""
        self.modes.setCurrentWidget(self.sweep_page)
        if lesson:
            self.sweep_page.preset_lesson()
        return self.sweep_page

    def _sweep_message(self, text: str, error: bool = False) -> None:
        window = self._window
        if error:
            self.sweep_page._say(text, error=True)
            if window is not None and hasattr(window, "show_error"):
                window.show_error(text)
        elif window is not None and hasattr(window, "show_status"):
            window.show_status(text, 8000)

    def open_trial_model(self, path: str, row: Mapping[str, Any]) -> None:
        """Open the trained network of a sweep's trial in the Network tab: the model file (engine thread),
        and the data it was trained on when the session holds other data (so that its classes and
        validation images match), then the session's usual model-setting path."""
        s = self.session
        if s.training:  # a build in progress is fine: the engine thread runs this job after it
            self._sweep_message(
                self.tr("Stop the training in progress before opening another network."), error=True
            )
            return
        current = s.data
        optimizer = _OPTIMIZER_NAMES.get(str(row.get("optimizer", "adam")).lower(), "Adam")
        lr = float(row.get("lr") or 0.001)

        def job() -> tuple[Any, Any, list, Any, tuple[str, dict]]:
            import engine
            from engine.saving import read_metadata

            model = engine.load_model(path)
            compile_model(model, optimizer, lr)
            info = model_info(model)
            kind, kw = lab_data_request(row, int(info.input_shape[2]))
            names = read_metadata(path).get("class_names")
            same = (
                current is not None
                and tuple(current.input_shape) == tuple(info.input_shape)
                and list(current.class_names) == list(names or current.class_names)
            )
            data = None if same else load_lab_data(kind, **kw)
            return model, info, model.get_weights(), data, (kind, kw)

        def done(result: tuple[Any, Any, list, Any, tuple[str, dict]]) -> None:
            model, info, weights, data, (kind, kw) = result
            if data is not None:
                # the model first, unannounced: the views that follow the new data then find a model that
                # fits it (no tab builds one, none computes maps of the old model on the new images)
                s.model, s.info = model, info
                s.data = data
                s.dataChanged.emit()
                self._follow_data(kind, kw)
            s.building = False
            s.optimizer, s.learning_rate = optimizer, lr
            s.set_model(model, info, initial_weights=weights, trained=True)
            self._show_in_network(row)

        def failed(message: str) -> None:
            s.building = False
            self._sweep_message(self.tr("Cannot open the trial's network: {0}").format(message), error=True)

        s.building = True
        s.run(job, done, failed)

    def _follow_data(self, kind: str, kw: Mapping[str, Any]) -> None:
        """The data-set controls of the training page show the data a sweep's network brought along."""
        c = self.controls
        if kind == "folder":
            self._folder = str(kw.get("folder", ""))
        elif kind == "cifar10":
            self._cifar = str(kw.get("folder", ""))
        self._data_kind = kind
        with QSignalBlocker(c.dataset):
            c.dataset.setCurrentIndex(c.dataset.findData(kind))
        mode, size = default_format(kind)
        c.set_format(kw.get("color_mode", mode), tuple(kw.get("image_size") or size))
        c.browse.setVisible(kind in ("folder", "cifar10"))
        data = self.session.data
        c.data_info.setText(
            self.tr("{n} training / {v} validation images, {k} classes (from the sweep)").format(
                n=len(data.x_train), v=len(data.x_val), k=data.num_classes
            )
        )

    def _show_in_network(self, row: Mapping[str, Any]) -> None:
        names = self.sweep_page.params_varied()
        label = ", ".join(f"{self.sweep_page.params.label_of(n)} {row[n]}" for n in names) or row["key"]
        window = self._window
        if window is not None and hasattr(window, "select_tab"):
            tab = window.select_tab("network")
            if hasattr(tab, "show_view"):
                tab.show_view("overview")
        self._sweep_message(self.tr("The Network tab shows the trial's network ({0}).").format(label))
