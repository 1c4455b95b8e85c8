"""The Network tab offers the layers of issue 16: Conv2DTranspose, BatchNormalization (and the ReLU layer of
the zoo's lesson_bn blocks), a dilation rate for Conv2D; the lesson_bn preset builds as the zoo builds it."""

from __future__ import annotations

import numpy as np
import pytest

from engine import models, zoo
from gui.tabs.network import NetworkTab
from gui.widgets.net_editor import COLUMNS, LAYER_TYPES, LayerTable

pytestmark = pytest.mark.gui


@pytest.fixture
def tab(qtbot):
    t = NetworkTab()
    qtbot.addWidget(t)
    t.resize(1300, 850)
    t.show()
    qtbot.waitUntil(lambda: t._maps_ready, timeout=60000)
    yield t
    t.shutdown()


def test_the_editor_round_trips_the_new_layers(qtbot):
    table = LayerTable()
    qtbot.addWidget(table)
    configs = [
        {
            "class_name": "Conv2D",
            "config": {
                "filters": 8,
                "kernel_size": [3, 3],
                "strides": [1, 1],
                "padding": "same",
                "activation": "linear",
                "use_bias": False,
                "dilation_rate": [2, 2],
            },
        },
        {"class_name": "BatchNormalization", "config": {"momentum": 0.9, "epsilon": 0.01}},
        {"class_name": "ReLU", "config": {"negative_slope": 0.0}},
        {
            "class_name": "Conv2DTranspose",
            "config": {
                "filters": 4,
                "kernel_size": [3, 3],
                "strides": [2, 2],
                "padding": "same",
                "activation": "relu",
            },
        },
        {"class_name": "Flatten", "config": {}},
        {"class_name": "Dense", "config": {"units": 10, "activation": "linear"}},
    ]
    table.set_configs(configs)
    out = table.configs()
    assert [c["class_name"] for c in out] == [c["class_name"] for c in configs]
    assert out[0]["config"]["dilation_rate"] == [2, 2] and out[0]["config"]["use_bias"] is False
    assert out[1]["config"] == {"momentum": 0.9, "epsilon": 0.01}  # kept though not shown
    assert out[3]["config"]["strides"] == [2, 2] and out[3]["config"]["dilation_rate"] == [1, 1]
    # the editor's configs build, and as the engine reads them
    model = models.Sequential([models.layer_from_config(c) for c in out])
    model.build((8, 8, 1))
    y = np.asarray(model.predict(np.zeros((2, 8, 8, 1), np.float32)))
    assert y.shape == (2, 10)
    names = [type(layer).__name__ for layer in model.layers]
    assert names[:4] == ["Conv2D", "BatchNormalization", "ReLU", "Conv2DTranspose"]
    assert model.layers[0].dilation_rate == (2, 2) and model.layers[1].momentum == pytest.approx(0.9)
    # cells that do not apply are disabled; the transposed layer cannot pick "full"
    row_bn, row_t = 1, 3
    assert not any(table.cellWidget(row_bn, COLUMNS.index(c)).isEnabled() for c in COLUMNS[1:])
    assert table.cellWidget(0, COLUMNS.index("dilation")).isEnabled()
    pad = table.cellWidget(row_t, COLUMNS.index("padding"))
    assert not pad.model().item(pad.findText("full")).isEnabled()
    # changing a row's type drops the settings of its old type
    table.cellWidget(row_bn, 0).setCurrentText("Conv2D")
    assert "momentum" not in table.configs()[row_bn]["config"]
    assert set(LAYER_TYPES) >= {"Conv2DTranspose", "BatchNormalization"}


def test_lesson_bn_preset_builds_like_the_zoo(qtbot, tab):
    idx = tab.preset.findData("lesson_bn")
    assert idx >= 0 and "batch normalization" in tab.preset.itemText(idx)
    tab.preset.setCurrentIndex(idx)
    kinds = [c["class_name"] for c in tab.table.configs()]
    assert kinds.count("BatchNormalization") == 3 and kinds.count("ReLU") == 3
    with qtbot.waitSignal(tab.session.modelChanged, timeout=60000):
        tab.build_btn.click()
    shape, k, _names = tab._shape_and_classes()
    want = zoo.build("lesson_bn", shape, k)
    assert [r[1] for r in tab.session.info.rows] == [type(layer).__name__ for layer in want.layers]
    assert tab.session.info.total_params == want.count_params()


def test_a_dilated_stride_two_conv_is_refused_with_the_engines_message(qtbot, tab):
    configs = tab.table.configs()
    first = configs[0]["config"]
    first.update({"strides": [2, 2], "dilation_rate": [2, 2]})
    tab.table.set_configs(configs)
    with qtbot.waitSignal(tab.session.modelRefused, timeout=30000) as blocker:
        tab.build_btn.click()
    assert "dilation_rate" in blocker.args[0] and "previous model is kept" in tab.message.text()


def test_the_generator_puts_batch_normalization_after_each_convolution(qtbot, tab):
    tab.gen_layers.setValue(1)
    tab.gen_filters.setValue(4)
    tab.gen_units.setValue(0)
    tab.arch.gen_bn.setChecked(True)
    tab.generate.click()
    configs = tab.table.configs()
    assert [c["class_name"] for c in configs] == [
        "Conv2D",
        "BatchNormalization",
        "ReLU",
        "MaxPooling2D",
        "Flatten",
        "Dense",
    ]
    assert configs[0]["config"]["use_bias"] is False and configs[0]["config"]["activation"] == "linear"
    with qtbot.waitSignal(tab.session.modelChanged, timeout=60000):
        tab.build_btn.click()
    # counted by hand, as Keras counts: 3x3x1x4 kernel (no bias); gamma, beta, moving mean and variance of 4
    # channels; 14x14x4 = 784 -> 10 dense + bias
    assert tab.session.info.total_params == 36 + 4 * 4 + 784 * 10 + 10


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_seven_headers_read_in_full_at_1024_by_700(qtbot, lang):
    from PySide6.QtCore import QCoreApplication

    from gui.main_window import MainWindow

    win = MainWindow(dialogs=False)
    qtbot.addWidget(win)
    win.resize(1024, 700)
    win.show()
    win.switch_language(lang)
    try:
        net = win.select_tab("network")
        net.views.setCurrentIndex(0)
        for _ in range(10):
            QCoreApplication.processEvents()
        table = net.table
        header, fm = table.horizontalHeader(), table.horizontalHeader().fontMetrics()
        assert table.columnCount() == len(COLUMNS) == 7
        for col in range(table.columnCount()):
            text = table.horizontalHeaderItem(col).text()
            widest = max(fm.horizontalAdvance(line) for line in text.split("\n"))
            assert widest + 6 <= header.sectionSize(col), (lang, text, header.sectionSize(col))
        assert sum(header.sectionSize(c) for c in range(7)) <= table.viewport().width() + 1
    finally:
        win.switch_language("en")
        win.close()
