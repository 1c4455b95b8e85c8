"""ConvScope's main window: menus, toolbar, status bar, the lesson panel, the tabs of :data:`gui.tabs.TABS`,
one engine worker.

The window is the tabs' shared context (see :mod:`gui.tabs`): status and error messages, the current image,
and the :class:`gui.workers.EngineWorker` that runs every engine call (the backend is settled and the first
Numba compile is done there, at start, while the window stays responsive). It also walks the lesson
(:meth:`MainWindow.show_lesson`, the Lesson menu and the :class:`gui.widgets.lesson_nav.LessonDock`) and saves
or restores the whole session (:meth:`MainWindow.save_state`, :meth:`MainWindow.open_state`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QCoreApplication, QEvent, QSettings, Qt, Signal
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

from gui import i18n, samples
from gui.models import lesson
from gui.models.backend import EngineStart, start_engine
from gui.models.convolution import warm_up
from gui.tabs import BUILT_AT_START, TABS, load_tab_class
from gui.widgets.grid_view import GridView
from gui.window_lesson import LessonMixin
from gui.window_state import LessonStateMixin
from gui.workers import EngineWorker

__all__ = ["MainWindow"]

FILTER_SUFFIXES = (".npy", ".txt", ".csv", ".json")


class MainWindow(LessonMixin, LessonStateMixin, QMainWindow):
    """The application window.

    Parameters
    ----------
    dialogs : False reports errors in the status bar only (tests, screenshots).
    settings : where the lesson panel remembers the learner's section; default: the user's ConvScope settings
        when ``dialogs`` is True, nothing otherwise (tests and screenshots leave no trace).

    Signals
    -------
    imageChanged(object, str): an image opened for the Convolution tab, shared with the tabs that follow it.
    kernelsReady(): the engine has settled its backend and compiled (or loaded) its kernels.
    lessonShown(str, bool): :meth:`show_lesson` ran for a section; False when its view is not available.
    stateSaved(str): a lesson file (and the weights asked for) is written.
    """

    imageChanged = Signal(object, str)
    kernelsReady = Signal()
    lessonShown = Signal(str, bool)
    stateSaved = Signal(str)

    def __init__(
        self, dialogs: bool = True, settings: QSettings | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.dialogs = dialogs
        self.last_error = ""
        self._image: np.ndarray | None = None
        self._ready = False
        self.engine_start: EngineStart | None = None
        if settings is None and dialogs:
            settings = QSettings("ConvScope", "ConvScope")
        self.settings = settings
        self.engine_worker = EngineWorker(self)
        self.engine_worker.start()
        # settle the backend, then load (or compile) the kernels, in the engine thread while this thread
        # builds the tabs; every job the tabs queue runs after it, on the backend it settled on
        self.engine_worker.submit(lambda: start_engine(warm_up), self._on_warm, self._on_warm_failed)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.setCentralWidget(self.tabs)
        self.setAcceptDrops(True)
        self.engine_label = QLabel()
        self.statusBar().addPermanentWidget(self.engine_label)
        self._tab_by_name: dict[str, QWidget] = {}
        self._holders: dict[str, QScrollArea] = {}
        self._build_actions()
        self._build_lesson()
        self._build_tabs()
        self.retranslate()
        self._update_toolbar()

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

    def current_tab_name(self) -> str:
        """The name (in :data:`gui.tabs.TABS`) of the tab shown now."""
        holder = self.tabs.currentWidget()
        return next((n for n, h in self._holders.items() if h is holder), "")

    def tab_title(self, name: str) -> str:
        """The translated label of the tab ``name`` (built or not)."""
        tab = self._tab_by_name.get(name)
        title_of = getattr(tab, "title", None)
        if callable(title_of):
            return str(title_of())
        # a tab not built yet: its title() would be tr(name.capitalize()) in its class's context
        spec = self._specs.get(name, "") if hasattr(self, "_specs") else dict(TABS).get(name, "")
        return QCoreApplication.translate(spec.rpartition(":")[2], name.capitalize())

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
        self._update_toolbar()

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
        self.act_save_state = self._action(lambda: self.save_state(), "Ctrl+Shift+S")
        self.act_open_state = self._action(lambda: self.open_state(), "Ctrl+L")
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
        self.lesson_menu = bar.addMenu("")
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

    def _toolbar_actions(self, name: str) -> list[QAction]:
        """The toolbar's actions on the tab ``name``: only what applies there."""
        if name == "convolution":
            return [self.act_open_image, self.act_open_filter, self.act_save_map]
        if name == "network":
            tab = self._tab_by_name.get(name)
            extra = [getattr(tab, a, None) for a in ("act_open_model", "act_save_model")]
            return [self.act_open_image, *(a for a in extra if isinstance(a, QAction))]
        return []

    def _update_toolbar(self) -> None:
        """Show the current tab's actions, then the lesson panel's toggle."""
        style = self.style()
        icons = {
            "act_open_model": style.StandardPixmap.SP_DirOpenIcon,
            "act_save_model": style.StandardPixmap.SP_DriveFDIcon,
        }
        tab = self._tab_by_name.get("network")
        for attr, icon in icons.items():
            act = getattr(tab, attr, None)
            if isinstance(act, QAction) and act.icon().isNull():
                act.setIcon(style.standardIcon(icon))
        for act in self.toolbar.actions():  # not clear(): PySide then treats the actions as deleted
            self.toolbar.removeAction(act)
        actions = self._toolbar_actions(self.current_tab_name())
        for act in actions:
            self.toolbar.addAction(act)
        if actions:
            self.toolbar.addSeparator()
        self.toolbar.addAction(self.act_lesson_panel)

    def toolbar_texts(self) -> list[str]:
        """The texts of the toolbar's actions, in order (separators left out)."""
        return [a.text() for a in self.toolbar.actions() if not a.isSeparator()]

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("ConvScope: learn how convolutional networks see"))
        self.file_menu.setTitle(self.tr("&File"))
        self.view_menu.setTitle(self.tr("&View"))
        self.lang_menu.setTitle(self.tr("&Language"))
        self.lesson_menu.setTitle(self.tr("L&esson"))
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
            (self.act_prev_section, self.tr("&Previous section")),
            (self.act_next_section, self.tr("&Next section")),
        ):
            act.setText(text)
        self.act_open_image.setToolTip(
            self.tr("Open an image: the network's input on the Network tab, the lab's image elsewhere")
        )
        lang = i18n.current_language()
        for i, sid in enumerate(lesson.SECTION_IDS):
            self.lesson_actions[sid].setText(
                f"&{i + 1}. {lesson.section(sid).title(lang)}"
                if i < 9
                else f"{i + 1}. {lesson.section(sid).title(lang)}"
            )
        self.lang_actions[i18n.current_language()].setChecked(True)
        for name, holder in self._holders.items():
            self.tabs.setTabText(self.tabs.indexOf(holder), self.tab_title(name))
        self.lesson_dock.retranslate()
        self.navigator.retranslate()
        self._update_engine_label()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not getattr(self, "_placed", False):
            self._placed = True
            self._place_lesson_panel()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if getattr(self, "_placed", False):
            self._narrow_lesson_panel()

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

    # ------------------------------------------------------------------ engine start
    def _fallback_messages(self) -> list[str]:
        """The reasons the engine does not run on the backend that was asked for, in the current language."""
        start = self.engine_start
        if start is None:
            return []
        no_cuda = self.tr("The cuda backend was asked for, but {0}: running on the CPU instead.")
        words = {
            "unknown_backend": self.tr(
                "CONVSCOPE_BACKEND={0} is not a backend (cpu, reference or cuda): running on the CPU instead."
            ),
            "no_driver": no_cuda.format(self.tr("no NVIDIA driver is installed ({0} cannot be loaded)")),
            "no_platform": no_cuda.format(self.tr("this system ({0}) has no CUDA driver")),
            "no_device": no_cuda.format(self.tr("no CUDA device was found")),
            "compile_failed": self.tr("Compiled kernels unavailable ({0}); using the NumPy reference."),
        }
        return [words[code].format(detail) for code, detail in start.fallbacks if code in words]

    def _update_engine_label(self) -> None:
        import engine

        if not self._ready:
            self.engine_label.setText(self.tr("Compiling kernels (first start takes a few seconds)..."))
            return
        backend = engine.get_backend()
        start = self.engine_start
        if start is not None and start.requested != backend:
            self.engine_label.setText(
                self.tr("Engine: {0} ({1} unavailable)").format(backend, start.requested)
            )
        else:
            self.engine_label.setText(self.tr("Engine: {0}").format(backend))
        self.engine_label.setToolTip("\n".join(self._fallback_messages()))

    def _on_warm(self, start: object) -> None:
        self._ready = True
        self.engine_start = start if isinstance(start, EngineStart) else None
        self._update_engine_label()
        messages = self._fallback_messages()
        if messages:
            self.show_status(" ".join(messages))
        else:
            self.show_status(self.tr("Kernels ready."), 4000)
        self.kernelsReady.emit()

    def _on_warm_failed(self, message: str) -> None:
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

    def _image_consumer(self) -> Callable[[np.ndarray, str], None] | None:
        """The current tab's ``set_input_image`` when it takes images itself (the Network tab feeds them to
        the network)."""
        setter = getattr(self.current_tab(), "set_input_image", None)
        return setter if callable(setter) else None

    def open_image(self) -> None:
        """Open an image for the tab shown: the Network tab's network, otherwise the convolution lab."""
        if self._image_consumer() is not None:
            path, _ = QFileDialog.getOpenFileName(
                self, self.tr("Open image"), "", self.tr("Images ({0})").format(samples.IMAGE_FILE_FILTER)
            )
            if path:
                self.open_path(path)
            return
        self._conv("open_image_dialog")

    def open_path(self, path: str) -> bool:
        """Open a dropped or given file: a filter for .npy/.txt/.csv/.json (convolution lab); an image for the
        tab shown when it takes images (the Network tab), else for the convolution lab."""
        if Path(path).suffix.lower() in FILTER_SUFFIXES:
            return bool(self._conv("load_filter_path", path))
        set_input_image = self._image_consumer()
        if set_input_image is None:
            return bool(self._conv("load_image_path", path))
        try:
            image = samples.load_image_file(path)
        except (samples.ImageLoadError, OSError, ValueError) as exc:
            self.show_error(self.tr("Cannot open the image: {0}").format(exc), dialog=True)
            return False
        set_input_image(image, Path(path).name)
        self.show_status(self.tr("{0} is the network's input.").format(Path(path).name), 5000)
        return True

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        for url in event.mimeData().urls():
            if url.isLocalFile():
                self.open_path(url.toLocalFile())
                event.acceptProposedAction()
                return

    # ------------------------------------------------------------------ help
    def shortcuts_text(self) -> str:
        rows = [
            ("Space", self.tr("Play / pause the sliding window")),
            ("→", self.tr("Step forward")),
            ("←", self.tr("Step back")),
            ("Home", self.tr("Back to the first step")),
            ("End", self.tr("Jump to the end")),
            (QKeySequence(QKeySequence.StandardKey.Open).toString(), self.tr("Open an image")),
            (QKeySequence(QKeySequence.StandardKey.Save).toString(), self.tr("Save the feature map as PNG")),
            ("F9", self.tr("Show or hide the lesson panel")),
            ("Ctrl+[  Ctrl+]", self.tr("Previous / next section of the lesson, with its view")),
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
        if not getattr(self, "_closed", False):
            self._closed = True
            self.tabs.currentChanged.disconnect(self._on_tab_shown)
        for tab in self._tab_by_name.values():
            if hasattr(tab, "shutdown"):
                tab.shutdown()
        self.engine_worker.shutdown()
        super().closeEvent(event)
