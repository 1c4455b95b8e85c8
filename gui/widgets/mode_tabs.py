"""Pages behind a tab bar whose size is the size of the page shown.

A ``QTabWidget`` keeps its pages in a stack, and a stack is as tall as its tallest page (its height for a
width asks every page, hidden or not). The Training tab's two pages differ: the live training needs more
height than the Sweep page, which must fit 1024 x 700. Here the pages sit in a box layout and only the one
shown is visible, so the others count for nothing.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QTabBar, QVBoxLayout, QWidget

__all__ = ["ModeTabs"]


class ModeTabs(QWidget):
    """The ``QTabWidget`` calls the Training tab uses: ``addTab``, ``setTabText``, ``setTabToolTip``,
    ``setCurrentWidget``, ``setCurrentIndex``, ``currentWidget``, ``currentIndex``, ``count``, ``widget``,
    ``indexOf``; ``currentChanged(int)``."""

    currentChanged = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bar = QTabBar()
        self.bar.setDocumentMode(True)
        self.bar.setExpanding(False)
        self.bar.setDrawBase(True)
        self._pages: list[QWidget] = []
        self._lay = QVBoxLayout(self)
        self._lay.setContentsMargins(0, 0, 0, 0)
        self._lay.setSpacing(0)
        self._lay.addWidget(self.bar)
        self.bar.currentChanged.connect(self._show)

    def addTab(self, page: QWidget, text: str) -> int:
        self._pages.append(page)
        self._lay.addWidget(page, 1)
        index = self.bar.addTab(text)
        page.setVisible(index == self.bar.currentIndex())
        return index

    def setTabText(self, index: int, text: str) -> None:
        self.bar.setTabText(index, text)

    def setTabToolTip(self, index: int, text: str) -> None:
        self.bar.setTabToolTip(index, text)

    def tabText(self, index: int) -> str:
        return self.bar.tabText(index)

    def count(self) -> int:
        return len(self._pages)

    def widget(self, index: int) -> QWidget | None:
        return self._pages[index] if 0 <= index < len(self._pages) else None

    def indexOf(self, page: QWidget) -> int:
        return self._pages.index(page) if page in self._pages else -1

    def currentIndex(self) -> int:
        return self.bar.currentIndex()

    def currentWidget(self) -> QWidget | None:
        return self.widget(self.bar.currentIndex())

    def setCurrentIndex(self, index: int) -> None:
        self.bar.setCurrentIndex(index)

    def setCurrentWidget(self, page: QWidget) -> None:
        index = self.indexOf(page)
        if index >= 0:
            self.bar.setCurrentIndex(index)

    def _show(self, index: int) -> None:
        for i, page in enumerate(self._pages):
            page.setVisible(i == index)
        self.currentChanged.emit(index)
