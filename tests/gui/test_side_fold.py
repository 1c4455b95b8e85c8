"""Side columns that fold on narrow windows (gui.widgets.side_fold) and the tabs at 1024 x 700 with the lesson
panel open (pytest-qt, offscreen): nothing scrolls sideways, the column comes back when there is room, and the
learner's own fold or unfold is kept."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QScrollArea, QWidget

from gui import i18n
from gui.main_window import MainWindow
from gui.widgets.side_fold import SideFold

pytestmark = pytest.mark.gui


def block(width: int) -> QWidget:
    w = QWidget()
    w.setMinimumWidth(width)
    return w


@pytest.fixture
def fold(qtbot):
    """A 300 px column beside a 400 px view, in a scroll area as the window holds its tabs."""
    f = SideFold(block(300), block(400), lambda: "Settings")
    holder = QScrollArea()
    holder.setWidget(f)
    holder.setWidgetResizable(True)
    qtbot.addWidget(holder)
    holder.show()
    yield f, holder
    holder.close()


def resize(holder: QScrollArea, width: int) -> None:
    holder.resize(width, 300)
    for _ in range(5):
        QCoreApplication.processEvents()


def test_the_column_folds_when_both_do_not_fit_and_comes_back(fold, qtbot):
    f, holder = fold
    need = f.needed_width()
    assert 700 <= need <= 760  # 300 + 400, a splitter handle and the strip
    resize(holder, need + 40)
    assert not f.is_folded() and not holder.horizontalScrollBar().isVisible()
    resize(holder, need - 60)
    assert f.is_folded() and not holder.horizontalScrollBar().isVisible()
    assert f.strip.toolTip() == "Show this column" and f.strip.text() == "Settings"
    assert f.minimumSizeHint().width() < need - 60
    resize(holder, need + 40)
    assert not f.is_folded()


def test_the_learners_choice_is_kept(fold, qtbot):
    f, holder = fold
    need = f.needed_width()
    resize(holder, need - 60)
    qtbot.mouseClick(f.strip, Qt.MouseButton.LeftButton)  # unfold by hand on a narrow window: it scrolls
    assert not f.is_folded()
    for _ in range(5):
        QCoreApplication.processEvents()
    assert holder.horizontalScrollBar().isVisible()
    resize(holder, need + 40)
    resize(holder, need - 60)  # once there was room, folding is automatic again
    assert f.is_folded()
    resize(holder, need + 100)
    qtbot.mouseClick(f.strip, Qt.MouseButton.LeftButton)  # fold by hand on a wide window: it stays folded
    resize(holder, need + 200)
    assert f.is_folded() and f.strip.toolTip() == "Show this column"


STRIP_NAMES = {
    "en": {"convolution": "Settings", "network": "Input", "training": "Settings"},
    "fr": {"convolution": "Réglages", "network": "Entrée", "training": "Réglages"},
}


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_tab_fits_1024_by_700_beside_the_lesson_panel(qtbot, lang):
    w = MainWindow(dialogs=False)
    qtbot.addWidget(w)
    w.resize(1400, 900)
    w.show()
    qtbot.waitExposed(w)
    w.switch_language(lang)
    try:
        assert w.lesson_dock.isVisible()
        w.resize(1024, 700)  # the panel opened on a wide window narrows with it
        qtbot.waitUntil(lambda: w.lesson_dock.width() <= w.lesson_dock.width_for(1024), timeout=5000)
        for name in ("convolution", "network", "training", "backprop"):
            tab = w.select_tab(name)
            for _ in range(5):
                QCoreApplication.processEvents()
            holder = w._holder(tab)
            assert not holder.horizontalScrollBar().isVisible(), name
            assert not holder.verticalScrollBar().isVisible(), name
            fold = getattr(tab, "fold", None)
            if fold is not None:
                assert fold.is_folded(), name  # the column gave the view its room
                assert fold.strip.text() == STRIP_NAMES[lang][name]  # what is folded there, in the language
        w.lesson_dock.close()
        tab = w.select_tab("convolution")
        qtbot.waitUntil(lambda: not tab.fold.is_folded(), timeout=5000)  # without the panel the settings fit
        assert not w._holder(tab).horizontalScrollBar().isVisible()
    finally:
        i18n.install(QCoreApplication.instance(), "en")
        w.close()
