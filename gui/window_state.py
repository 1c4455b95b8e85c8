"""The main window's File > Save / Open lesson state: the whole session in one JSON file (and, optionally, the
model beside it). The file format is :mod:`gui.models.lesson_state`'s."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QFileDialog, QGridLayout, QMainWindow, QWidget

from gui.models import lesson
from gui.models import lesson_state as lstate

__all__ = ["LessonStateMixin"]


# for the type checker the mixin is the window it is mixed into; at run time it adds methods only
if TYPE_CHECKING:
    _Window = QMainWindow
else:
    _Window = object


class LessonStateMixin(_Window):
    """Save and restore every tab's ``state()``, the lesson section, the shared session's architecture and,
    optionally, its weights. Mixed into :class:`gui.main_window.MainWindow` (which provides the tabs, the
    lesson panel, the status bar and ``stateSaved``)."""

    stateSaved: Signal
    _tab_by_name: dict[str, Any]
    _specs: dict[str, str]
    _failed: set[str]
    navigator: Any

    if TYPE_CHECKING:

        def tab(self, name: str) -> QWidget | None: ...
        def select_tab(self, name: str) -> QWidget: ...
        def current_tab_name(self) -> str: ...
        def show_status(self, text: str, timeout_ms: int = 0) -> None: ...
        def show_error(self, text: str, dialog: bool = False) -> None: ...

    # ------------------------------------------------------------------ lesson state
    def _session(self) -> Any:
        """The learning tabs' shared session, when one was made (see ``LabSession.for_window``)."""
        return getattr(self, "_convscope_lab_session", None)

    def _session_state(self) -> dict[str, Any] | None:
        s = self._session()
        if s is None:
            return None
        out: dict[str, Any] = {
            "arch_name": s.arch_name,
            "arch_configs": s.arch_configs,
            "seed": s.seed,
            "optimizer": s.optimizer,
            "learning_rate": s.learning_rate,
        }
        if s.info is not None:
            out.update(input_shape=list(s.info.input_shape), num_classes=int(s.info.num_classes))
        return out

    def _ask_save_path(self) -> tuple[str, bool] | None:
        """The save dialog, with a "save the weights too" box: ``(path, weights)``, None when cancelled."""
        dlg = QFileDialog(self, self.tr("Save lesson state"), "lesson.json", self.tr("Lesson state (*.json)"))
        dlg.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dlg.setOption(QFileDialog.Option.DontUseNativeDialog, True)  # a native dialog cannot hold the box
        dlg.setDefaultSuffix("json")
        box = QCheckBox(self.tr("Also save the model's weights (a .weights.npz file beside it)"))
        box.setChecked(True)
        grid = dlg.layout()
        if isinstance(grid, QGridLayout):
            grid.addWidget(box, grid.rowCount(), 0, 1, grid.columnCount())
        if dlg.exec() != QFileDialog.DialogCode.Accepted or not dlg.selectedFiles():
            return None
        return dlg.selectedFiles()[0], box.isChecked()

    def save_state(self, path: str | None = None, weights: bool = False) -> bool:
        """Write the whole session to a lesson file: every tab's ``state()``, the lesson section, the
        architecture and, with ``weights``, the model's weights as ``<name>.weights.npz`` beside it (written
        in the engine thread; :attr:`stateSaved` fires when everything is on disk).

        Returns False when cancelled or when the file cannot be written.
        """
        if path is None:
            asked = self._ask_save_path()
            if asked is None:
                return False
            path, weights = asked
        data: dict[str, Any] = {
            "section": self.navigator.current_id(),
            "tab": self.current_tab_name(),
            "tabs": {n: t.state() for n, t in self._tab_by_name.items() if hasattr(t, "state")},
        }
        session_state = self._session_state()
        if session_state is not None:
            data["session"] = session_state
        session = self._session()
        target = str(path)

        def write(note: str = "") -> bool:
            try:
                lstate.write_state(target, data)
            except (OSError, TypeError, ValueError) as exc:
                self.show_error(self.tr("Cannot save the lesson state: {0}").format(exc), dialog=True)
                return False
            self.show_status(self.tr("Lesson state saved to {0}").format(target) + note, 5000)
            self.stateSaved.emit(target)
            return True

        if not weights:
            return write()
        if session is None or session.model is None:
            return write(" " + self.tr("(no model yet: no weights saved)"))
        wpath = lstate.weights_path(target)
        data["weights"] = wpath.name
        model = session.model

        def failed(message: str) -> None:
            self.show_error(self.tr("Cannot save the weights: {0}").format(message), dialog=True)

        session.run(lambda: model.save(str(wpath)), lambda _: write(), failed)
        self.show_status(self.tr("Saving the lesson state and the weights..."))
        return True

    def open_state(self, path: str | None = None) -> bool:
        """Restore a lesson file written by :meth:`save_state`: every tab's settings, the section, the
        architecture (rebuilt) or the saved model with its weights. Returns False when it cannot."""
        if path is None:
            path, _ = QFileDialog.getOpenFileName(
                self, self.tr("Open lesson state"), "", self.tr("Lesson state (*.json)")
            )
            if not path:
                return False
        try:
            data = lstate.read_state(path)
            weights = lstate.resolve_weights(path, data)
            if weights is not None and not weights.is_file():
                raise ValueError(f"the weights file {weights.name} is missing beside {Path(path).name}")
            for name, state in data["tabs"].items():
                tab = self.tab(name)
                if tab is not None and hasattr(tab, "restore_state"):
                    tab.restore_state(state)
            self._restore_session(data.get("session") or {}, weights)
            if data.get("tab") in self._specs and data["tab"] not in self._failed:
                self.select_tab(data["tab"])
            if data.get("section") in lesson.SECTION_IDS:
                self.navigator.set_current(data["section"])
        except (OSError, ValueError, TypeError, KeyError, AttributeError) as exc:
            self.show_error(self.tr("Cannot open the lesson state: {0}").format(exc), dialog=True)
            return False
        self.show_status(self.tr("Lesson state loaded from {0}").format(path), 5000)
        return True

    def _restore_session(self, saved: dict[str, Any], weights: Path | None) -> None:
        """Put the saved architecture back (rebuilt with its seed), or the saved model itself when its weights
        were saved; both in the engine thread, after the data the tabs asked for."""
        if not saved and weights is None:
            return
        from gui.models.session import adapt_head, compile_model, model_info
        from gui.widgets.net_session import LabSession

        s = LabSession.for_window(self)
        s.worker.stop()
        s.arch_name = str(saved.get("arch_name", s.arch_name))
        configs = saved.get("arch_configs")
        if configs is not None and not isinstance(configs, list):
            raise ValueError(f"arch_configs must be a list of layer configs. Received: {configs!r}")
        s.arch_configs = configs if configs else s.arch_configs
        s.seed = int(saved.get("seed", s.seed))
        s.optimizer = str(saved.get("optimizer", s.optimizer))
        s.learning_rate = float(saved.get("learning_rate", s.learning_rate))
        optimizer, lr = s.optimizer, s.learning_rate
        if weights is not None:
            file = str(weights)

            def job() -> tuple[Any, Any, list]:
                import engine

                model = engine.load_model(file)
                compile_model(model, optimizer, lr)
                return model, model_info(model), model.get_weights()

            def done(result: tuple[Any, Any, list]) -> None:
                s.building = False
                s.set_model(*result)

            def failed(message: str) -> None:
                s.building = False
                self.show_error(self.tr("Cannot load the saved weights: {0}").format(message), dialog=True)

            s.building = True  # the data the tabs reload must not trigger a fresh build meanwhile
            s.run(job, done, failed)
        elif s.arch_configs and saved.get("input_shape"):
            shape = tuple(int(v) for v in saved["input_shape"])
            classes = int(saved.get("num_classes", 10))
            s.build_model(
                adapt_head(s.arch_configs, classes),
                shape,
                seed=s.seed,
                on_error=lambda m: self.show_error(
                    self.tr("Cannot rebuild the saved network: {0}").format(m)
                ),
            )
