"""The main window's lesson: the Lesson menu, the lesson panel and :meth:`LessonMixin.show_lesson`, which
opens the view of a section through the tabs' ``show_lesson(section_id)`` (the lesson contract)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QWidget

from gui import i18n
from gui.models import lesson
from gui.widgets.lesson_nav import LessonDock

__all__ = ["LessonMixin"]


# for the type checker the mixin is the window it is mixed into; at run time it adds methods only
if TYPE_CHECKING:
    _Window = QMainWindow
else:
    _Window = object


class LessonMixin(_Window):
    """Mixed into :class:`gui.main_window.MainWindow`, which provides the tabs, the menus, the status bar and
    ``lessonShown``."""

    lessonShown: Signal
    lesson_menu: Any
    settings: Any

    if TYPE_CHECKING:

        def _action(self, slot: Any, shortcut: Any = None) -> QAction: ...
        def select_tab(self, name: str) -> QWidget: ...
        def current_tab(self) -> QWidget | None: ...
        def tab_title(self, name: str) -> str: ...
        def show_status(self, text: str, timeout_ms: int = 0) -> None: ...
        def show_error(self, text: str, dialog: bool = False) -> None: ...

    def _build_lesson(self) -> None:
        """The lesson panel (right side, shown at start) and the Lesson menu: the panel's toggle, one entry
        per section, Previous / Next."""
        self.lesson_dock = LessonDock(self.settings, self.tab_title, self)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.lesson_dock)
        self.navigator = self.lesson_dock.navigator
        self.navigator.showRequested.connect(self.show_lesson)
        self.act_lesson_panel = self.lesson_dock.toggleViewAction()
        self.act_lesson_panel.setShortcut(QKeySequence("F9"))
        self.act_lesson_panel.setIcon(
            self.style().standardIcon(self.style().StandardPixmap.SP_FileDialogInfoView)
        )
        self.lesson_menu.addAction(self.act_lesson_panel)
        self.lesson_menu.addSeparator()
        self.lesson_actions: dict[str, QAction] = {}
        for sid in lesson.SECTION_IDS:
            act = QAction(self)
            act.triggered.connect(lambda _c=False, sid=sid: self.show_lesson(sid))
            self.lesson_menu.addAction(act)
            self.lesson_actions[sid] = act
        self.lesson_menu.addSeparator()
        self.act_prev_section = self._action(lambda: self.navigator.walk(-1), "Ctrl+[")
        self.act_next_section = self._action(lambda: self.navigator.walk(+1), "Ctrl+]")
        self.lesson_menu.addAction(self.act_prev_section)
        self.lesson_menu.addAction(self.act_next_section)

    # ------------------------------------------------------------------ the lesson
    def show_lesson(self, section_id: str) -> bool:
        """Open the view that demonstrates the lesson section ``section_id`` (lesson contract): select its
        tab, call the tab's ``show_lesson(section_id)``; the lesson panel shows the claim, and says so
        honestly when the view is not available. Returns True when the tab set its view up.

        Raises ``ValueError`` listing the valid ids for an unknown one.
        """
        sec = lesson.section(section_id)
        self.navigator.set_current(sec.id)
        self.open_lesson_panel()
        try:
            tab = self.select_tab(sec.tab)
        except ValueError as exc:
            self.navigator.set_outcome(sec.id, f"failed: {exc}")
            self.lessonShown.emit(sec.id, False)
            return False
        handler = getattr(tab, "show_lesson", None)
        ok = False
        if not callable(handler):
            outcome = "missing"
        else:
            try:
                ok = bool(handler(sec.id))
            except Exception as exc:  # a tab's bug must not take the window down: say what happened
                outcome = f"failed: {type(exc).__name__}: {exc}"
                self.show_error(self.tr("The view could not be opened: {0}").format(exc))
            else:
                outcome = "shown" if ok else "missing"
        self.navigator.set_outcome(sec.id, outcome)
        if ok:
            self.show_status(
                self.tr("Lesson {i}/{n}: {title}").format(
                    i=lesson.index_of(sec.id) + 1,
                    n=len(lesson.SECTION_IDS),
                    title=sec.title(i18n.current_language()),
                ),
                6000,
            )
        self.lessonShown.emit(sec.id, ok)
        return ok

    def open_lesson_panel(self) -> None:
        """Show the lesson panel (the claim is read there) at the width the window allows."""
        dock = self.lesson_dock
        if dock.isHidden():
            dock.show()
            if not dock.isFloating():
                self.resizeDocks([dock], [dock.width_for(self.width())], Qt.Orientation.Horizontal)

    def _place_lesson_panel(self) -> None:
        """At the first show: open the panel on wide windows (or as the learner left it), sized to fit."""
        dock = self.lesson_dock
        dock.setVisible(dock.starts_open(self.width()))
        if dock.isVisible():
            self.resizeDocks([dock], [dock.width_for(self.width())], Qt.Orientation.Horizontal)

    def _narrow_lesson_panel(self) -> None:
        """A narrower window narrows the docked panel to the width it would open at (never widens it: a
        width the learner dragged smaller stays), so that the tabs keep most of the room."""
        dock = self.lesson_dock
        if dock.isHidden() or dock.isFloating():
            return
        target = dock.width_for(self.width())
        if dock.width() > target:
            self.resizeDocks([dock], [target], Qt.Orientation.Horizontal)

    def lesson_ready(self) -> bool:
        """True once the tab of the current section has drawn its view (``lesson_ready()`` when the tab has
        it, else ``screenshot_ready()``, else at once)."""
        tab = self.current_tab()
        ready = getattr(tab, "lesson_ready", None) or getattr(tab, "screenshot_ready", None)
        return bool(ready()) if callable(ready) else True
