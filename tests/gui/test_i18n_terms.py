"""Every French catalog is complete and speaks one vocabulary: "remplissage (padding)", "exactitude
(accuracy)", "pas (stride)", "leçon", sizes with ×, no untranslated fragment."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from gui import i18n

CATALOGS = sorted(i18n.catalog_dir().glob("*_fr.ts"))


def messages():
    for path in CATALOGS:
        for ctx in ET.parse(path).getroot().iter("context"):
            for m in ctx.iter("message"):
                tr = m.find("translation")
                texts = [n.text or "" for n in tr.iter("numerusform")] or [tr.text or ""]
                yield path.name, ctx.findtext("name"), m.findtext("source"), tr.get("type"), texts


def test_the_catalogs_are_complete_and_compiled(tmp_path):
    assert {p.name for p in CATALOGS} >= {"convscope_fr.ts", "training_fr.ts", "lesson_fr.ts"}
    for name, ctx, source, kind, texts in messages():
        assert kind not in ("unfinished", "obsolete", "vanished"), (name, ctx, source)
        assert all(t.strip() for t in texts), (name, ctx, source)
    # the shipped .qm is what lrelease makes of the .ts today (file times mean nothing after a clone)
    lrelease = shutil.which("pyside6-lrelease") or str(Path(sys.executable).with_name("pyside6-lrelease"))
    for path in CATALOGS:
        qm, fresh = path.with_suffix(".qm"), tmp_path / f"{path.stem}.qm"
        subprocess.run([lrelease, "-silent", str(path), "-qm", str(fresh)], check=True, timeout=60)
        assert qm.exists() and qm.read_bytes() == fresh.read_bytes(), f"{qm.name}: not its .ts compiled"


@pytest.mark.parametrize("wrong", ["bourrage", "marge", "précision", "du cours", "(cours"])
def test_one_word_for_each_idea(wrong):
    bad = [(n, c, s) for n, c, s, _k, texts in messages() if any(wrong in t.lower() for t in texts)]
    assert not bad


def test_padding_accuracy_and_stride_are_named_as_the_house_does():
    by_source: dict[str, set[str]] = {}
    for _n, _c, source, _k, texts in messages():
        by_source.setdefault(source, set()).update(texts)
    assert by_source["Padding"] == {"Remplissage (padding)"}
    assert by_source["Accuracy"] == {"Exactitude (accuracy)"}
    assert by_source["Stride"] == {"Pas (stride)"}
    for source, texts in by_source.items():
        if re.search(r"\bpadding\b", source, re.I):
            assert all("remplissage" in t.lower() for t in texts), source


def test_no_english_fragment_left_in_french():
    for name, ctx, source, _k, texts in messages():
        for t in texts:
            assert not re.search(r"\b(filters|layers|the|and|with)\b", t), (name, ctx, source, t)
            assert not re.search(r"\d x \d|\}x\{", t), (name, ctx, source, t)  # sizes take ×
