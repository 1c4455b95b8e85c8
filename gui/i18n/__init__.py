"""Translations: English source strings, one ``<family>_<lang>.qm`` catalog per tab family in this folder.

:func:`install` removes the translators it installed before and installs every ``*_<lang>.qm`` found here
(``convscope_fr.qm`` for the window and the convolution lab, ``training_fr.qm`` for the next tabs...), plus
Qt's own catalog for standard dialogs when Qt ships one. Installing a translator makes Qt send
``QEvent.LanguageChange`` to every widget, which re-sets its texts (``retranslate()``): no restart needed.

Sources are the ``.ts`` files next to the ``.qm``; regenerate one from its family's files (from this folder),
e.g. the lesson panel's::

    pyside6-lupdate -no-obsolete -locations relative ../widgets/lesson_nav.py ../window_lesson.py \
        ../window_state.py ../widgets/train_augment.py -ts lesson_fr.ts
    pyside6-lrelease lesson_fr.ts -qm lesson_fr.qm

(``convscope_fr.ts``: the window and the convolution lab; ``lab_fr.ts``: the lab's colour, comparison and
Train both views; ``training_fr.ts``: the Network, Training and Backprop tabs; ``network_fr.ts``: the Network
tab's lesson views; ``lesson_fr.ts``: the lesson panel and the augmentation page; ``arith_fr.ts``: dilation,
the transposed mode, the arithmetic page and the new layers in the editor; ``sweep_fr.ts``: the Training tab's
Sweep page, from ``../widgets/sweep_*.py`` and ``../tabs/training_sweep.py``.) A string lives in one catalog
only: when two held the same context and source, the one installed last (sorted by name) would win.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

__all__ = ["LANGUAGES", "catalog_dir", "catalogs", "current_language", "install", "system_language"]

#: language code -> its name, written in that language (menu entries are never translated)
LANGUAGES = {"en": "English", "fr": "Français"}

_installed: list[QTranslator] = []
_current = "en"


def catalog_dir() -> Path:
    """The folder holding the ``.ts`` sources and compiled ``.qm`` catalogs."""
    return Path(__file__).resolve().parent


def catalogs(lang: str) -> list[Path]:
    """Every compiled catalog for ``lang``, sorted (``[]`` for English, the source language)."""
    return sorted(catalog_dir().glob(f"*_{lang}.qm")) if lang != "en" else []


def system_language() -> str:
    """The system locale's language when the app ships it, else ``"en"``."""
    code = QLocale.system().name().split("_")[0].lower()
    return code if code in LANGUAGES else "en"


def current_language() -> str:
    return _current


def format_int(n: int) -> str:
    """``n`` with the current language's digit grouping: ``20,490`` in English, ``20 490`` in French."""
    locale = (
        QLocale(QLocale.Language.French, QLocale.Country.France)
        if _current == "fr"
        else QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
    )
    return locale.toString(int(n))


def install(app: QCoreApplication, lang: str) -> list[Path]:
    """Switch ``app`` to ``lang`` (a key of :data:`LANGUAGES`); returns the catalogs loaded.

    Raises ``ValueError`` for an unknown language.
    """
    global _current
    if lang not in LANGUAGES:
        raise ValueError(f"lang must be one of {tuple(LANGUAGES)}. Received: lang={lang!r}")
    while _installed:
        app.removeTranslator(_installed.pop())
    loaded: list[Path] = []
    if lang != "en":
        qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        qt_tr = QTranslator(app)
        if qt_tr.load(QLocale(lang), "qtbase", "_", qt_dir):
            app.installTranslator(qt_tr)
            _installed.append(qt_tr)
        for qm in catalogs(lang):
            tr = QTranslator(app)
            if tr.load(str(qm)):
                app.installTranslator(tr)
                _installed.append(tr)
                loaded.append(qm)
    _current = lang
    return loaded
