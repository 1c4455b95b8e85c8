"""The lesson navigator: the lesson's sections in order, each claim in the current language, and a **Show me**
button that opens the view demonstrating it.

:class:`LessonNavigator` is the panel (a list of sections, the selected section's title, claim and what to
look at, Previous / Show me / Next); :class:`LessonDock` puts it in a dockable side panel. The window connects
:attr:`LessonNavigator.showRequested` to its ``show_lesson(id)`` and tells the panel what happened with
:meth:`LessonNavigator.set_outcome`. The texts are data (:mod:`gui.models.lesson`); the panel's own words go
through ``tr()`` (catalog ``lesson_fr.ts``).

Clicks from the start of the app to a claim's view: one on the section in the list, one on **Show me** (or a
double click on the section); from the Lesson menu: one on the menu, one on the section.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QSettings, QSignalBlocker, QSize, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDockWidget,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from gui import i18n
from gui.models import lesson

__all__ = ["PANEL_KEY", "SETTINGS_KEY", "WIDE_WINDOW", "LessonDock", "LessonNavigator"]

#: where the current section is remembered between sessions
SETTINGS_KEY = "lesson/section"
#: whether the learner keeps the panel open (absent: open on windows at least :data:`WIDE_WINDOW` wide)
PANEL_KEY = "lesson/panel"
#: below this window width the panel starts closed: the tabs need the room (the Lesson menu opens it)
WIDE_WINDOW = 1280

_SECTION_ROLE = Qt.ItemDataRole.UserRole


class LessonNavigator(QWidget):
    """The lesson's sections and the claim of the current one.

    Parameters
    ----------
    settings : where the current section is remembered (None: not remembered, e.g. tests and screenshots).
    tab_title : the translated title of a tab from its name (for "Shown in the Network tab").

    Signals
    -------
    showRequested(str): the learner asked to see a section's view (Show me, Next, Previous, double click).
    currentChanged(str): the current section changed.
    """

    showRequested = Signal(str)
    currentChanged = Signal(str)

    def __init__(
        self,
        settings: QSettings | None = None,
        tab_title: Callable[[str], str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._settings = settings
        self._tab_title = tab_title or (lambda name: name.capitalize())
        self._outcomes: dict[str, str] = {}  # section id -> "shown" | "missing" | "failed: message"
        self.list = QListWidget()
        self.list.setObjectName("lesson_sections")
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        for sid in lesson.SECTION_IDS:
            item = QListWidgetItem()
            item.setData(_SECTION_ROLE, sid)
            self.list.addItem(item)
        rows_h = self.list.sizeHintForRow(0) * len(lesson.SECTION_IDS)
        self.list.setFixedHeight(rows_h + 2 * self.list.frameWidth() + 2)  # every section in view
        self.title = QLabel()
        self.title.setWordWrap(True)
        f = QFont(self.title.font())
        f.setBold(True)
        f.setPointSizeF(f.pointSizeF() * 1.25)
        self.title.setFont(f)
        self.where = QLabel()
        self.where.setWordWrap(True)
        self.where.setStyleSheet("color: #606060;")
        self.claim = QLabel()
        self.claim.setWordWrap(True)
        self.claim.setTextFormat(Qt.TextFormat.PlainText)
        self.claim.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.claim.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.look = QLabel()
        self.look.setWordWrap(True)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setVisible(False)
        self.previous = QPushButton()
        self.next = QPushButton()
        self.show_me = QPushButton()
        self.show_me.setObjectName("lesson_show_me")
        self.show_me.setDefault(True)
        self.show_me.setMinimumHeight(32)
        sf = QFont(self.show_me.font())
        sf.setBold(True)
        self.show_me.setFont(sf)

        text = QWidget()
        text_lay = QVBoxLayout(text)
        text_lay.setContentsMargins(2, 2, 2, 2)
        for w in (self.title, self.where, self.claim, self.look, self.note):
            text_lay.addWidget(w)
        text_lay.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(text)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        walk = QHBoxLayout()  # Show me on its own row: the three buttons fit a narrow panel in French too
        walk.addWidget(self.previous)
        walk.addWidget(self.next)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 6)
        lay.addWidget(self.list)
        lay.addWidget(scroll, 1)
        lay.addWidget(self.show_me)
        lay.addLayout(walk)

        self.list.currentRowChanged.connect(self._row_changed)
        self.list.itemDoubleClicked.connect(lambda item: self.showRequested.emit(item.data(_SECTION_ROLE)))
        self.show_me.clicked.connect(lambda: self.showRequested.emit(self.current_id()))
        self.next.clicked.connect(lambda: self.walk(+1))
        self.previous.clicked.connect(lambda: self.walk(-1))

        remembered = str(settings.value(SETTINGS_KEY, "")) if settings is not None else ""
        start = remembered if remembered in lesson.SECTION_IDS else lesson.SECTION_IDS[0]
        self.retranslate()
        self.set_current(start)

    # ------------------------------------------------------------------------------------------- sections
    def current_id(self) -> str:
        """The section the learner is at."""
        item = self.list.currentItem()
        return str(item.data(_SECTION_ROLE)) if item is not None else lesson.SECTION_IDS[0]

    def set_current(self, section_id: str) -> None:
        """Make ``section_id`` current: highlighted, its claim shown, remembered (ValueError if unknown)."""
        row = lesson.index_of(section_id)
        if self.list.currentRow() != row:
            self.list.setCurrentRow(row)  # -> _row_changed
        else:
            self._refresh()

    def walk(self, step: int) -> None:
        """Go ``step`` sections forward (or back) and show that section's view."""
        target = lesson.next_id(self.current_id()) if step > 0 else lesson.previous_id(self.current_id())
        if target is not None:
            self.set_current(target)
            self.showRequested.emit(target)

    def set_outcome(self, section_id: str, outcome: str) -> None:
        """What happened when the view of ``section_id`` was asked for: ``"shown"``, ``"missing"`` (the tab
        has no such view in this version) or ``"failed: <message>"``."""
        self._outcomes[section_id] = outcome
        if section_id == self.current_id():
            self._refresh()

    def outcome(self, section_id: str) -> str | None:
        return self._outcomes.get(section_id)

    def _row_changed(self, row: int) -> None:
        if row < 0:
            return
        sid = lesson.SECTION_IDS[row]
        if self._settings is not None:
            self._settings.setValue(SETTINGS_KEY, sid)
        self._refresh()
        self.currentChanged.emit(sid)

    # ------------------------------------------------------------------------------------------- drawing
    def _refresh(self) -> None:
        lang = i18n.current_language()
        sid = self.current_id()
        sec = lesson.section(sid)
        row = lesson.index_of(sid)
        for i in range(self.list.count()):
            item = self.list.item(i)
            f = QFont(self.list.font())
            f.setBold(i == row)
            item.setFont(f)
        self.title.setText(f"{row + 1}. {sec.title(lang)}")
        self.where.setText(self.tr("Shown in the {tab} tab").format(tab=self._tab_title(sec.tab)))
        self.claim.setText(sec.claim(lang))
        self.look.setText(self.tr("<b>Look at:</b> {look}").format(look=sec.look(lang)))
        outcome = self._outcomes.get(sid)
        if outcome == "missing":
            self.note.setText(
                self.tr(
                    "This version of ConvScope has no view for this section yet: the {tab} tab is open, "
                    "but it cannot set up “{title}”. The claim above still holds."
                ).format(tab=self._tab_title(sec.tab), title=sec.title(lang))
            )
            self.note.setStyleSheet("color: #a04000;")
        elif outcome is not None and outcome.startswith("failed"):
            self.note.setText(
                self.tr("The view could not be opened: {reason}").format(reason=outcome.partition(": ")[2])
            )
            self.note.setStyleSheet("color: #b2182b;")
        self.note.setVisible(outcome in ("missing",) or bool(outcome and outcome.startswith("failed")))
        self.previous.setEnabled(lesson.previous_id(sid) is not None)
        self.next.setEnabled(lesson.next_id(sid) is not None)

    def retranslate(self) -> None:
        lang = i18n.current_language()
        with QSignalBlocker(self.list):
            for i, sid in enumerate(lesson.SECTION_IDS):
                item = self.list.item(i)
                item.setText(f"{i + 1}. {lesson.section(sid).title(lang)}")
                item.setToolTip(
                    self.tr("Shown in the {tab} tab").format(tab=self._tab_title(lesson.section(sid).tab))
                )
        self.previous.setText(self.tr("◀ Previous"))
        self.previous.setToolTip(self.tr("The previous section, and its view"))
        self.next.setText(self.tr("Next ▶"))
        self.next.setToolTip(self.tr("The next section, and its view"))
        self.show_me.setText(self.tr("Show me"))
        self.show_me.setToolTip(self.tr("Open the view that shows this claim, set up to show it"))
        self.list.setToolTip("")
        self._refresh()

    def sizeHint(self) -> QSize:
        return QSize(300, 640)

    def minimumSizeHint(self) -> QSize:
        return QSize(220, 420)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


class LessonDock(QDockWidget):
    """The navigator in a side panel that can be moved, floated or closed (View > Lesson panel reopens it)."""

    def __init__(
        self,
        settings: QSettings | None = None,
        tab_title: Callable[[str], str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("lesson_dock")
        self.navigator = LessonNavigator(settings, tab_title)
        self.setWidget(self.navigator)
        self.setAllowedAreas(Qt.DockWidgetArea.LeftDockWidgetArea | Qt.DockWidgetArea.RightDockWidgetArea)
        self._settings = settings
        self.toggleViewAction().triggered.connect(self._remember)
        self.retranslate()

    def _remember(self, visible: bool) -> None:
        """The learner opened or closed the panel: keep it that way next time."""
        if self._settings is not None:
            self._settings.setValue(PANEL_KEY, bool(visible))

    def starts_open(self, window_width: int) -> bool:
        """Whether the panel opens with the window: as the learner left it, else on wide windows only."""
        if self._settings is not None and self._settings.contains(PANEL_KEY):
            return str(self._settings.value(PANEL_KEY)).lower() in ("true", "1")
        return window_width >= WIDE_WINDOW

    @staticmethod
    def width_for(window_width: int) -> int:
        """The panel's width in a window ``window_width`` wide: about a fifth, 240 to 320 pixels."""
        return max(240, min(320, window_width // 5))

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Lesson"))
        self.toggleViewAction().setText(self.tr("&Lesson panel"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
