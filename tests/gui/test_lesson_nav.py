"""The lesson navigator in the main window (pytest-qt, offscreen): every section opens its tab and calls its
show_lesson, in at most three clicks; Next / Previous; honest messages; memory across sessions."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtWidgets import QApplication

from gui import i18n
from gui.main_window import MainWindow
from gui.models import lesson

pytestmark = pytest.mark.gui

#: sections the Convolution and Network tabs show: where a test is about the navigator itself, a recorder
#: stands in for their hook (test_every_section_shows_its_real_view runs the real ones)
OTHERS = [s.id for s in lesson.SECTIONS if s.tab in ("convolution", "network")]
TRAINING = [s.id for s in lesson.SECTIONS if s.tab == "training"]


class Clicks:
    """Real mouse clicks (QTest), counted."""

    def __init__(self, qtbot):
        self.qtbot, self.count = qtbot, 0

    def on(self, widget, pos: QPoint | None = None) -> None:
        self.count += 1
        self.qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=pos or widget.rect().center())


@pytest.fixture
def settings(tmp_path):
    return QSettings(str(tmp_path / "convscope.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def win(qtbot, settings):
    w = MainWindow(dialogs=False, settings=settings)
    qtbot.addWidget(w)
    w.resize(1400, 900)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.close()


def fake_hooks(monkeypatch, w, answer=True):
    """Record the show_lesson calls of the Convolution and Network tabs (built by the other engineers)."""
    calls: list[tuple[str, str]] = []
    for name in ("convolution", "network"):
        tab = w.tab(name)

        def hook(section_id, name=name):
            calls.append((name, section_id))
            return answer

        monkeypatch.setattr(tab, "show_lesson", hook, raising=False)
    return calls


def small_training(w):
    """A lesson-sized Training tab: few images, one epoch (its real show_lesson runs)."""
    t = w.tab("training")
    t.controls.n_train.setValue(320)
    t.controls.epochs.setValue(1)
    return t


def test_the_panel_lists_the_lesson_and_opens_at_start_on_a_wide_window(win):
    nav = win.navigator
    assert win.lesson_dock.isVisible()
    assert [nav.list.item(i).text() for i in range(3)] == ["1. Convolution", "2. Channels (RGB)", "3. ReLU"]
    assert nav.list.count() == 14 and nav.current_id() == "convolution"
    assert nav.claim.text() == lesson.section("convolution").claim("en")
    assert "gives 6" in nav.claim.text()
    menu = [a.text() for a in win.lesson_menu.actions() if not a.isSeparator()]
    assert menu[0] == "&Lesson panel" and menu[1] == "&1. Convolution" and menu[14] == "14. Data augmentation"


def test_every_section_opens_its_tab_and_calls_its_hook_in_two_clicks(win, qtbot, monkeypatch):
    calls = fake_hooks(monkeypatch, win)
    small_training(win)
    nav = win.navigator
    for row, sid in enumerate(lesson.SECTION_IDS):
        clicks = Clicks(qtbot)
        rect = nav.list.visualItemRect(nav.list.item(row))
        clicks.on(nav.list.viewport(), rect.center())
        assert nav.current_id() == sid
        assert nav.claim.text() == lesson.section(sid).claim("en")  # the claim is on screen after one click
        with qtbot.waitSignal(win.lessonShown, timeout=10000) as shown:
            clicks.on(nav.show_me)
        assert shown.args == [sid, True]
        assert clicks.count <= 3
        section = lesson.section(sid)
        assert win.current_tab_name() == section.tab
        if section.tab != "training":
            assert calls[-1] == (section.tab, sid)
        assert nav.outcome(sid) == "shown" and not nav.note.isVisible()
    assert [c[1] for c in calls] == OTHERS
    win.tab("training").stop()


def test_every_section_shows_its_real_view(win, qtbot):
    """The navigator with the tabs' real hooks (no recorder): each Show me opens the view its tab engineer
    set up for the claim, drawn to the end."""
    from gui.tabs.convolution_lesson import LESSON_SETUPS, PAGES
    from gui.tabs.network_lessons import LESSON_VIEWS

    t = small_training(win)
    training_pages = {
        "hyperparameters": t.live,
        "training": t.live,
        "transfer": t.transfer,
        "augmentation": t.augment,
    }
    nav = win.navigator
    for sid in lesson.SECTION_IDS:
        nav.set_current(sid)
        with qtbot.waitSignal(win.lessonShown, timeout=10000) as shown:
            Clicks(qtbot).on(nav.show_me)
        assert shown.args == [sid, True]
        qtbot.waitUntil(win.lesson_ready, timeout=180000)
        section = lesson.section(sid)
        tab = win.current_tab()
        assert win.current_tab_name() == section.tab and nav.outcome(sid) == "shown"
        if section.tab == "convolution":
            setup = LESSON_SETUPS[sid]
            assert tab.pages.currentIndex() == PAGES.index(setup.page) and tab.lab.sample_key == setup.sample
        elif section.tab == "network":
            assert tab.current_view() == LESSON_VIEWS[sid] and tab.session.trained
        else:
            assert t.bottom.currentWidget() is training_pages[sid]
    t.stop()


def test_the_lesson_menu_reaches_a_claim_in_two_clicks_even_with_the_panel_closed(win, qtbot, monkeypatch):
    calls = fake_hooks(monkeypatch, win)
    win.lesson_dock.close()
    assert not win.lesson_dock.isVisible()
    clicks = Clicks(qtbot)
    bar = win.menuBar()
    clicks.on(bar, bar.actionGeometry(win.lesson_menu.menuAction()).center())
    qtbot.waitUntil(win.lesson_menu.isVisible, timeout=5000)
    act = win.lesson_actions["stride"]
    clicks.on(win.lesson_menu, win.lesson_menu.actionGeometry(act).center())
    qtbot.waitUntil(lambda: calls == [("convolution", "stride")], timeout=5000)
    assert clicks.count == 2
    assert win.lesson_dock.isVisible() and win.navigator.current_id() == "stride"
    assert "Pooling" not in win.navigator.title.text() and win.navigator.title.text() == "8. Stride"


def test_the_training_tabs_own_views(win, qtbot):
    t = small_training(win)
    assert win.show_lesson("hyperparameters")  # the Sweep page, the lesson's choices ready to compare
    assert t.modes.currentWidget() is t.sweep_page and t.sweep_page.isVisible()
    setup = t.sweep_page.read_setup()
    assert setup.space["kernel_size"] == [3, 5, 7] and setup.space["conv_layers"] == [1, 2, 3]
    assert setup.space["filters"] == [32] and setup.space["dense_units"] == [128] and setup.trials == 18
    assert win.show_lesson("transfer")
    assert t.modes.currentWidget() is t.single
    assert t.bottom.currentWidget() is t.transfer and t.transfer.layers.count() > 0
    assert win.show_lesson("augmentation")
    assert t.bottom.currentWidget() is t.augment
    assert t.augment.is_lesson_preset()
    qtbot.waitUntil(win.lesson_ready, timeout=60000)
    assert t.augment.preview_count() == 6
    qtbot.waitUntil(lambda: t.status.text() == "Ready.", timeout=60000)  # not "Loading the data set..."
    assert win.show_lesson("training")
    assert t.bottom.currentWidget() is t.live
    qtbot.waitUntil(win.lesson_ready, timeout=120000)  # the first epoch's report: live curves and confusion
    assert t.curves.point_counts()["loss"] > 0 and t.confusion.matrix() is not None
    t.stop()


def test_next_and_previous_walk_the_lesson_and_show_each_view(win, qtbot, monkeypatch):
    calls = fake_hooks(monkeypatch, win)
    nav = win.navigator
    assert not nav.previous.isEnabled()
    Clicks(qtbot).on(nav.next)
    assert nav.current_id() == "channels" and calls[-1] == ("convolution", "channels")
    Clicks(qtbot).on(nav.next)
    Clicks(qtbot).on(nav.previous)
    assert nav.current_id() == "channels" and len(calls) == 3
    nav.set_current("flatten")
    win.act_next_section.trigger()  # Lesson > Next section (Ctrl+])
    assert nav.current_id() == "hyperparameters" and win.current_tab_name() == "training"
    nav.set_current("augmentation")
    assert not nav.next.isEnabled() and nav.previous.isEnabled()
    nav.walk(+1)  # nothing after the last section
    assert nav.current_id() == "augmentation"
    font_of = [nav.list.item(i).font().bold() for i in range(nav.list.count())]
    assert font_of == [sid == "augmentation" for sid in lesson.SECTION_IDS]  # the current one stands out
    assert nav.list.currentRow() == 13


@pytest.mark.parametrize("hook", ["missing", "false", "raises"])
def test_a_view_that_is_not_there_is_said_honestly(win, monkeypatch, hook):
    tab = win.tab("network")
    if hook == "missing":  # the tab's class as if it had no hook: take it off whichever class defines it
        for klass in type(tab).__mro__:
            if "show_lesson" in vars(klass):
                monkeypatch.delattr(klass, "show_lesson")
        assert not hasattr(tab, "show_lesson")
    elif hook == "false":
        monkeypatch.setattr(tab, "show_lesson", lambda sid: False, raising=False)
    else:

        def broken(sid):
            raise RuntimeError("no hierarchy yet")

        monkeypatch.setattr(tab, "show_lesson", broken, raising=False)
    assert win.show_lesson("layers") is False
    nav = win.navigator
    assert win.current_tab_name() == "network"  # the tab is open all the same
    assert nav.note.isVisible()
    if hook == "raises":
        assert "no hierarchy yet" in nav.note.text()
    else:
        assert "has no view for this section yet" in nav.note.text() and "Network" in nav.note.text()
    assert nav.claim.text() == lesson.section("layers").claim("en")  # the claim is still there to read


def test_bad_section_ids_are_refused_with_the_valid_ones(win):
    with pytest.raises(ValueError, match="lesson must be one of convolution channels"):
        win.show_lesson("hierarchy")


def test_the_panel_remembers_the_section_and_whether_it_was_open(qtbot, settings, monkeypatch):
    w = MainWindow(dialogs=False, settings=settings)
    qtbot.addWidget(w)
    fake_hooks(monkeypatch, w)
    w.resize(1400, 900)
    w.show()
    w.show_lesson("stride")
    w.act_lesson_panel.trigger()  # the learner closes the panel
    w.close()
    again = MainWindow(dialogs=False, settings=settings)
    qtbot.addWidget(again)
    again.resize(1400, 900)
    again.show()
    assert again.navigator.current_id() == "stride"
    assert again.navigator.title.text() == "8. Stride"
    assert not again.lesson_dock.isVisible()  # closed as the learner left it
    again.close()


def test_a_narrow_window_starts_with_the_panel_closed_and_the_lesson_opens_it(qtbot, monkeypatch):
    w = MainWindow(dialogs=False)
    qtbot.addWidget(w)
    fake_hooks(monkeypatch, w)
    w.resize(1024, 700)
    w.show()
    assert not w.lesson_dock.isVisible()
    assert w.show_lesson("pooling")
    assert w.lesson_dock.isVisible()
    qtbot.waitUntil(lambda: w.lesson_dock.width() <= 260, timeout=5000)  # the tabs keep most of the room
    w.close()


def test_the_claims_follow_the_language(win, qtbot):
    qapp = QApplication.instance()
    i18n.install(qapp, "fr")
    try:
        win.navigator.set_current("padding")
        qtbot.waitUntil(lambda: win.navigator.list.item(6).text() == "7. Remplissage (padding)", timeout=5000)
        assert win.navigator.claim.text() == lesson.section("padding").claim("fr")
        assert win.navigator.show_me.text() == "Montre-moi"
        assert win.lesson_actions["padding"].text() == "&7. Remplissage (padding)"
    finally:
        i18n.install(qapp, "en")
    qtbot.waitUntil(lambda: win.navigator.list.item(6).text() == "7. Padding", timeout=5000)
