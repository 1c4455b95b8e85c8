"""ConvScope's main window: menus, toolbar, status bar, the tabs of :data:`gui.tabs.TABS`, one engine worker.

The window is the tabs' shared context (see :mod:`gui.tabs`): status and error messages, the current image,
and the :class:`gui.workers.EngineWorker` that runs every engine call (the first Numba compile is done there,
at start, while the window stays responsive).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QCoreApplication, QEvent, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QFrame,
    QLabel,
    QMainWindow,
    QMessageBox,
    QScrollArea,
    QTabWidget,
    QWidget,
)

from engine import io
from gui import i18n
from gui.models.convolution import warm_up
from gui.tabs import BUILT_AT_START, TABS, load_tab_class
from gui.widgets.grid_view import GridView
from gui.workers import EngineWorker

__all__ = ["MainWindow"]

FILTER_SUFFIXES = (".npy", ".txt", ".csv", ".json")


class MainWindow(QMainWindow):
    """The application window. ``dialogs=False`` reports errors in the status bar only (tests,
    screenshots)."""

    imageChanged = Signal(object, str)
    kernelsReady = Signal()

    def __init__(self, dialogs: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.dialogs = dialogs
        self.last_error = ""
        self._image: np.ndarray | None = None
        self._ready = False
        self.engine_worker = EngineWorker(self)
        self.engine_worker.start()
        # load (or compile) the kernels in the engine thread while this thread builds the tabs
        self.engine_worker.submit(warm_up, self._on_warm, self._on_warm_failed)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.setCentralWidget(self.tabs)
        self.setAcceptDrops(True)
        self.engine_label = QLabel()
        self.statusBar().addPermanentWidget(self.engine_label)
        self._tab_by_name: dict[str, QWidget] = {}
        self._build_actions()
        self._build_tabs()
        self.retranslate()

    # ------------------------------------------------------------------ shared context for the tabs
    def show_status(self, text: str, timeout_ms: int = 0) -> None:
        self.statusBar().setStyleSheet("")
        self.statusBar().showMessage(text, timeout_ms)

    def show_error(self, text: str, dialog: bool = False) -> None:
        """Red message in the status bar; also a dialog for user actions when dialogs are enabled."""
        self.last_error = text
        self.statusBar().setStyleSheet("QStatusBar { color: #b2182b; font-weight: bold; }")
        self.statusBar().showMessage(text, 15000)
        if dialog and self.dialogs:
            QMessageBox.warning(self, self.tr("ConvScope"), text)

    def current_image(self) -> np.ndarray | None:
        return self._image

    def set_current_image(self, image: np.ndarray, name: str) -> None:
        self._image = image
        self.imageChanged.emit(image, name)

    def kernels_ready(self) -> bool:
        return self._ready

    def tab(self, name: str) -> QWidget | None:
        """The tab called ``name`` in :data:`gui.tabs.TABS`, built now if it was not yet (None if it failed to
        load or there is no such tab)."""
        return self._build_tab(name)

    def select_tab(self, name: str) -> QWidget:
        tab = self.tab(name)
        if tab is None:
            loaded = sorted(n for n in self._specs if n not in self._failed)
            raise ValueError(f"tab must be one of {loaded}. Received: {name!r}")
        self.tabs.setCurrentWidget(self._holder(tab))
        return tab

    def current_tab(self) -> QWidget | None:
        """The tab shown now."""
        holder = self.tabs.currentWidget()
        return holder.widget() if isinstance(holder, QScrollArea) else holder

    def _holder(self, tab: QWidget) -> QWidget:
        parent = tab.parentWidget()
        while parent is not None and not isinstance(parent, QScrollArea):
            parent = parent.parentWidget()
        return parent if parent is not None else tab

    # ------------------------------------------------------------------ building
    def _build_tabs(self) -> None:
        """One tab per :data:`gui.tabs.TABS` entry: those in :data:`gui.tabs.BUILT_AT_START` now, the others
        when first shown or asked for (:meth:`tab`)."""
        self._specs: dict[str, str] = dict(TABS)
        self._holders: dict[str, QScrollArea] = {}
        self._failed: set[str] = set()
        for name, _spec in TABS:
            # a scroll area lets the window shrink below a tab's minimum size (scroll bars instead of
            # clipping)
            holder = QScrollArea()
            holder.setWidgetResizable(True)
            holder.setFrameShape(QFrame.Shape.NoFrame)
            self._holders[name] = holder
            self.tabs.addTab(holder, name.capitalize())
        for name in BUILT_AT_START:
            self._build_tab(name)
        self.tabs.currentChanged.connect(self._on_tab_shown)

    def _on_tab_shown(self, index: int) -> None:
        for name, holder in self._holders.items():
            if self.tabs.indexOf(holder) == index:
                self._build_tab(name)

    def _build_tab(self, name: str) -> QWidget | None:
        """The tab called ``name``, built (and attached) on first use; None if it failed to build."""
        tab = self._tab_by_name.get(name)
        if tab is not None or name in self._failed or name not in self._specs:
            return tab
        holder = self._holders[name]
        try:
            tab = load_tab_class(self._specs[name])()
        except Exception as exc:
            self._failed.add(name)
            self.show_error(f"{name}: {exc}")
            holder.setWidget(QLabel(self.tr("This tab could not be loaded: {0}").format(exc)))
            return None
        self._tab_by_name[name] = tab
        holder.setWidget(tab)
        if hasattr(tab, "attach"):
            tab.attach(self)
        if hasattr(tab, "title"):
            self.tabs.setTabText(self.tabs.indexOf(holder), tab.title())
        return tab

    def _action(self, slot, shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None) -> QAction:
        act = QAction(self)
        act.triggered.connect(slot)
        if shortcut is not None:
            act.setShortcut(QKeySequence(shortcut))
        return act

    def _build_actions(self) -> None:
        std = QKeySequence.StandardKey
        self.act_open_image = self._action(self.open_image, std.Open)
        self.act_open_filter = self._action(lambda: self._conv("open_filter_dialog"), "Ctrl+Shift+O")
        self.act_save_map = self._action(lambda: self._conv("save_feature_map"), std.Save)
        self.act_save_state = self._action(self.save_state, "Ctrl+Shift+S")
        self.act_open_state = self._action(self.open_state, "Ctrl+L")
        self.act_quit = self._action(self.close, std.Quit)
        self.act_shortcuts = self._action(self.show_shortcuts, std.HelpContents)
        self.act_about = self._action(self.show_about)
        self.act_fit = self._action(self.fit_grids, "Ctrl+0")
        self.act_numbers = self._action(self.toggle_numbers)
        self.act_numbers.setCheckable(True)
        self.act_numbers.setChecked(True)
        self.lang_group = QActionGroup(self)
        self.lang_actions: dict[str, QAction] = {}
        for code, name in i18n.LANGUAGES.items():
            act = QAction(name, self, checkable=True)
            act.triggered.connect(lambda _c=False, code=code: self.switch_language(code))
            self.lang_group.addAction(act)
            self.lang_actions[code] = act
        bar = self.menuBar()
        self.file_menu = bar.addMenu("")
        for item in (
            self.act_open_image,
            self.act_open_filter,
            self.act_save_map,
            None,
            self.act_open_state,
            self.act_save_state,
            None,
            self.act_quit,
        ):
            self.file_menu.addSeparator() if item is None else self.file_menu.addAction(item)
        self.view_menu = bar.addMenu("")
        self.view_menu.addAction(self.act_fit)
        self.view_menu.addAction(self.act_numbers)
        self.view_menu.addSeparator()
        self.lang_menu = self.view_menu.addMenu("")
        self.lang_menu.addActions(list(self.lang_actions.values()))
        self.help_menu = bar.addMenu("")
        self.help_menu.addAction(self.act_shortcuts)
        self.help_menu.addAction(self.act_about)
        self.toolbar = self.addToolBar("main")
        self.toolbar.setObjectName("main_toolbar")
        self.toolbar.setMovable(False)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        style = self.style()
        for act, icon in (
            (self.act_open_image, style.StandardPixmap.SP_DialogOpenButton),
            (self.act_open_filter, style.StandardPixmap.SP_FileDialogContentsView),
            (self.act_save_map, style.StandardPixmap.SP_DialogSaveButton),
        ):
            act.setIcon(style.standardIcon(icon))
            self.toolbar.addAction(act)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("ConvScope: learn how convolutional networks see"))
        self.file_menu.setTitle(self.tr("&File"))
        self.view_menu.setTitle(self.tr("&View"))
        self.lang_menu.setTitle(self.tr("&Language"))
        self.help_menu.setTitle(self.tr("&Help"))
        self.toolbar.setWindowTitle(self.tr("Main toolbar"))
        for act, text in (
            (self.act_open_image, self.tr("Open &image...")),
            (self.act_open_filter, self.tr("Open &filter...")),
            (self.act_save_map, self.tr("&Save feature map as PNG...")),
            (self.act_open_state, self.tr("Open lesson state...")),
            (self.act_save_state, self.tr("Save lesson state...")),
            (self.act_quit, self.tr("&Quit")),
            (self.act_shortcuts, self.tr("&Keyboard shortcuts")),
            (self.act_about, self.tr("&About ConvScope")),
            (self.act_fit, self.tr("&Fit all grids")),
            (self.act_numbers, self.tr("Show &values on zoomed cells")),
        ):
            act.setText(text)
        self.lang_actions[i18n.current_language()].setChecked(True)
        for name, holder in self._holders.items():
            tab = self._tab_by_name.get(name)
            # a tab not built yet: its title() would be tr(name.capitalize()) in its class's context
            title_of = getattr(tab, "title", None)
            title = (
                title_of()
                if callable(title_of)
                else QCoreApplication.translate(self._specs[name].rpartition(":")[2], name.capitalize())
            )
            self.tabs.setTabText(self.tabs.indexOf(holder), title)
        self._update_engine_label()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def switch_language(self, lang: str) -> None:
        """Apply ``lang`` now: every widget receives LanguageChange and re-sets its texts."""
        app = QApplication.instance()
        if app is not None:
            i18n.install(app, lang)
        self.retranslate()

    # ------------------------------------------------------------------ engine warm-up
    def _update_engine_label(self) -> None:
        import engine

        backend = engine.get_backend()
        self.engine_label.setText(
            self.tr("Engine: {0}").format(backend)
            if self._ready
            else self.tr("Compiling kernels (first start takes a few seconds)...")
        )

    def _on_warm(self, backend: object) -> None:
        self._ready = True
        self._update_engine_label()
        self.show_status(self.tr("Kernels ready."), 4000)
        self.kernelsReady.emit()

    def _on_warm_failed(self, message: str) -> None:
        import engine

        if engine.get_backend() != "reference":
            engine.config.set("backend", "reference")
            self.show_error(
                self.tr("Compiled kernels unavailable ({0}); using the NumPy reference.").format(message)
            )
            self.engine_worker.submit(warm_up, self._on_warm, self._on_warm_failed)
        else:
            self.show_error(self.tr("The engine failed to start: {0}").format(message), dialog=True)

    # ------------------------------------------------------------------ actions
    def _conv(self, method: str, *args: Any) -> Any:
        tab = self.tab("convolution")
        if tab is None:
            self.show_error(self.tr("The convolution tab is not available."))
            return None
        self.tabs.setCurrentWidget(self._holder(tab))
        return getattr(tab, method)(*args)

    def fit_grids(self) -> None:
        """Zoom every grid back to showing its whole array."""
        for view in self.findChildren(GridView):
            view.fit()

    def toggle_numbers(self, checked: bool) -> None:
        """Write (or not) the values on cells that are large enough."""
        for view in self.findChildren(GridView):
            view.show_numbers = bool(checked)
            view.update()

    def open_image(self) -> None:
        self._conv("open_image_dialog")

    def open_path(self, path: str) -> bool:
        """Open a dropped or given file: a filter for .npy/.txt/.csv/.json, an image otherwise."""
        method = "load_filter_path" if Path(path).suffix.lower() in FILTER_SUFFIXES else "load_image_path"
        return bool(self._conv(method, path))

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        for url in event.mimeData().urls():
            if url.isLocalFile():
                self.open_path(url.toLocalFile())
                event.acceptProposedAction()
                return

    def save_state(self, path: str | None = None) -> bool:
        """Write every tab's ``state()`` to a JSON lesson file."""
        if path is None:
            path, _ = QFileDialog.getSaveFileName(
                self, self.tr("Save lesson state"), "lesson.json", self.tr("Lesson state (*.json)")
            )
            if not path:
                return False
        data = {
            "convscope_lesson": 1,
            "tabs": {n: t.state() for n, t in self._tab_by_name.items() if hasattr(t, "state")},
        }

        def write(tmp: Path) -> None:
            tmp.write_text(json.dumps(data, indent=1), encoding="utf-8")

        try:
            io.atomic_write(path, write)
        except OSError as exc:
            self.show_error(self.tr("Cannot save the lesson state: {0}").format(exc), dialog=True)
            return False
        self.show_status(self.tr("Lesson state saved to {0}").format(path), 5000)
        return True

    def open_state(self, path: str | None = None) -> bool:
        """Restore a lesson file written by :meth:`save_state`."""
        if path is None:
            path, _ = QFileDialog.getOpenFileName(
                self, self.tr("Open lesson state"), "", self.tr("Lesson state (*.json)")
            )
            if not path:
                return False
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
            if not isinstance(data, dict) or "tabs" not in data:
                raise ValueError("not a ConvScope lesson file (no 'tabs' entry)")
            for name, state in data["tabs"].items():
                tab = self.tab(name)
                if tab is not None and hasattr(tab, "restore_state"):
                    tab.restore_state(state)
        except (OSError, ValueError, TypeError, KeyError, AttributeError) as exc:
            self.show_error(self.tr("Cannot open the lesson state: {0}").format(exc), dialog=True)
            return False
        self.show_status(self.tr("Lesson state loaded from {0}").format(path), 5000)
        return True

    def shortcuts_text(self) -> str:
        rows = [
            ("Space", self.tr("Play / pause the sliding window")),
            ("→", self.tr("Step forward")),
            ("←", self.tr("Step back")),
            ("Home", self.tr("Back to the first step")),
            ("End", self.tr("Jump to the end")),
            (QKeySequence(QKeySequence.StandardKey.Open).toString(), self.tr("Open an image")),
            (QKeySequence(QKeySequence.StandardKey.Save).toString(), self.tr("Save the feature map as PNG")),
            (self.tr("Mouse wheel"), self.tr("Zoom a grid (numbers appear when cells are large)")),
            (self.tr("Double-click"), self.tr("Fit the grid in its panel")),
        ]
        body = "".join(f"<tr><td><b>{k}</b>&nbsp;&nbsp;</td><td>{v}</td></tr>" for k, v in rows)
        return f"<table>{body}</table>"

    def show_shortcuts(self) -> None:
        QMessageBox.information(self, self.tr("Keyboard shortcuts"), self.shortcuts_text())

    def show_about(self) -> None:
        QMessageBox.about(
            self,
            self.tr("About ConvScope"),
            self.tr(
                "<h3>ConvScope</h3><p>Learn convolutional neural networks by seeing them work: "
                "slide a filter over an image, watch ReLU and pooling, then build and train a network.</p>"
                "<p>Numba engine, PySide6 + pyqtgraph interface. MIT licence.</p>"
            ),
        )

    def closeEvent(self, event) -> None:
        for tab in self._tab_by_name.values():
            if hasattr(tab, "shutdown"):
                tab.shutdown()
        self.engine_worker.shutdown()
        super().closeEvent(event)
