"""Every string the Network tab's views and the training safeguards show has a French translation, and the
views switch language live."""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from gui import i18n

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [
    "gui/tabs/network.py",
    "gui/tabs/network_lessons.py",
    *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "gui/widgets").glob("net_*.py")),
    "gui/widgets/train_guard.py",
    "gui/widgets/train_plots.py",
]


def _messages(ts: Path) -> dict[tuple[str, str], str | None]:
    out = {}
    for ctx in ET.parse(ts).getroot().iter("context"):
        name = ctx.findtext("name")
        for m in ctx.iter("message"):
            tr = m.find("translation")
            done = tr is not None and tr.get("type") not in ("unfinished", "obsolete", "vanished")
            out[(name, m.findtext("source"))] = tr.text if done and tr is not None else None
    return out


def test_every_string_of_the_network_views_is_in_a_french_catalog(tmp_path):
    lupdate = Path(sys.executable).with_name("pyside6-lupdate")
    if not lupdate.exists():
        found = shutil.which("pyside6-lupdate")
        assert found, "pyside6-lupdate (PySide6) is needed to extract the strings"
        lupdate = Path(found)
    extracted = tmp_path / "x_fr.ts"
    subprocess.run([str(lupdate), *SOURCES, "-ts", str(extracted)], cwd=ROOT, check=True, capture_output=True)
    wanted = _messages(extracted)
    assert len(wanted) > 150
    known: dict[tuple[str, str], str | None] = {}
    for ts in sorted(i18n.catalog_dir().glob("*_fr.ts")):
        known.update({k: v for k, v in _messages(ts).items() if v})
    missing = [k for k in wanted if not known.get(k)]
    assert missing == []
    network = _messages(i18n.catalog_dir() / "network_fr.ts")
    assert all(network.values()) and (i18n.catalog_dir() / "network_fr.qm").exists()


@pytest.mark.parametrize("lang", ["fr"])
def test_the_views_switch_language_live(qapp, lang):
    from gui.tabs.network import NetworkTab

    tab = NetworkTab()
    try:
        titles = [tab.views.tabText(i) for i in range(tab.views.count())]
        assert titles[2:4] == ["Overview", "Look"]
        i18n.install(qapp, lang)
        qapp.processEvents()
        titles = [tab.views.tabText(i) for i in range(tab.views.count())]
        assert titles[2:4] == ["Vue d'ensemble", "Regard"]
        assert tab.invariance.title.text().startswith("Invariance par translation")
        assert tab.input.arithmetic.text() == "Montrer le calcul"
    finally:
        i18n.install(qapp, "en")
        tab.close()
        tab.deleteLater()
