"""The Sweep page's hyper-parameters: one row per parameter of :data:`engine.sweep_space.PARAMS`.

Numbers are typed as lists (``0.001, 0.01``; a range ``0.0001..0.1`` for random search; empty: the
default); choices are ticked. The box only holds and shows values: the page turns them into a space
(:func:`gui.models.sweep_setup.space_from_fields`) and hands back the problems to mark.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import QSignalBlocker, Signal
from PySide6.QtWidgets import QCheckBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QWidget

from engine.sweep_space import PARAMS

__all__ = ["SweepParamsBox"]

_ERROR_STYLE = "QLineEdit { border: 2px solid #c00000; border-radius: 3px; padding: 1px; }"
_ERROR_LABEL_STYLE = "color: #c00000;"


class SweepParamsBox(QGroupBox):
    """See the module docstring. ``changed()`` fires on every edit."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.labels: dict[str, QLabel] = {}
        self.edits: dict[str, QLineEdit] = {}
        self.checks: dict[str, dict[str, QCheckBox]] = {}
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)  # narrow: the values go below
        for name, p in PARAMS.items():
            label = self.labels[name] = QLabel()
            if p.kind == "choice":
                row = QWidget()
                lay = QHBoxLayout(row)
                lay.setContentsMargins(0, 0, 0, 0)
                lay.setSpacing(10)
                boxes: dict[str, QCheckBox] = {}
                for choice in p.choices:
                    box = boxes[choice] = QCheckBox()
                    box.setChecked(choice == p.default)
                    box.toggled.connect(lambda _on: self.changed.emit())
                    lay.addWidget(box)
                lay.addStretch(1)
                self.checks[name] = boxes
                form.addRow(label, row)
            else:
                edit = self.edits[name] = QLineEdit()
                edit.setClearButtonEnabled(True)
                edit.textChanged.connect(lambda _t: self.changed.emit())
                form.addRow(label, edit)
            label.setBuddy(self.edits.get(name) or next(iter(self.checks[name].values())))
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(_ERROR_LABEL_STYLE)
        self.error.hide()
        form.addRow(self.error)
        self.retranslate()

    # ------------------------------------------------------------------------------------------------ values
    def fields(self) -> dict[str, str]:
        """The text of each numeric parameter."""
        return {name: edit.text() for name, edit in self.edits.items()}

    def picks(self) -> dict[str, list[str]]:
        """The ticked values of each choice parameter, in the parameter's order."""
        return {
            name: [c for c, box in boxes.items() if box.isChecked()] for name, boxes in self.checks.items()
        }

    def set_values(self, fields: Mapping[str, str], picks: Mapping[str, Sequence[str]]) -> None:
        """Show these texts and ticks (parameters left out keep theirs); emits ``changed`` once."""
        for name, text in fields.items():
            if name in self.edits:
                with QSignalBlocker(self.edits[name]):
                    self.edits[name].setText(str(text))
        for name, chosen in picks.items():
            for choice, box in self.checks.get(name, {}).items():
                with QSignalBlocker(box):
                    box.setChecked(choice in set(chosen))
        self.changed.emit()

    def mark(self, problems: Mapping[str, str]) -> None:
        """Outline the parameters named in ``problems`` (name -> message) and write the messages below."""
        for name, edit in self.edits.items():
            edit.setStyleSheet(_ERROR_STYLE if name in problems else "")
            edit.setToolTip(problems.get(name, self._tips.get(name, "")))
        for name, label in self.labels.items():
            label.setStyleSheet(_ERROR_LABEL_STYLE if name in problems else "")
        self.error.setText("\n".join(problems.values()))
        self.error.setVisible(bool(problems))

    # ------------------------------------------------------------------------------------------- texts
    def label_of(self, name: str) -> str:
        """The translated name of parameter ``name`` (or of ``"seed"``)."""
        names = {
            "lr": self.tr("Learning rate"),
            "optimizer": self.tr("Optimizer"),
            "batch_size": self.tr("Batch size"),
            "conv_layers": self.tr("Conv blocks"),
            "filters": self.tr("Filters (1st block)"),
            "kernel_size": self.tr("Filter size"),
            "dense_units": self.tr("Dense units"),
            "augment": self.tr("Augmentation"),
            "pooling": self.tr("Pooling"),
            "head": self.tr("Head"),
            "seed": self.tr("Seed"),
        }
        return names.get(name, name)

    def choice_label(self, name: str, choice: str) -> str:
        """The translated text of one choice (``"avg"`` -> "average")."""
        words = {
            ("optimizer", "adam"): "Adam",
            ("optimizer", "sgd"): "SGD",
            ("optimizer", "rmsprop"): "RMSprop",
            ("augment", "none"): self.tr("none"),
            ("augment", "light"): self.tr("light"),
            ("augment", "lesson"): self.tr("lesson's"),
            ("pooling", "max"): self.tr("max"),
            ("pooling", "avg"): self.tr("average"),
            ("pooling", "stride2"): self.tr("stride 2"),
            ("head", "flatten"): "Flatten",
            ("head", "global_max"): self.tr("global max"),
        }
        return words.get((name, choice), choice)

    def retranslate(self) -> None:
        self.setTitle(self.tr("Hyper-parameters to compare"))
        self._tips = {
            "lr": self.tr("How big each step of gradient descent is. Several values: 0.001, 0.01"),
            "optimizer": self.tr("How the gradient moves the weights"),
            "batch_size": self.tr("Images per step of gradient descent"),
            "conv_layers": self.tr("Convolution blocks (convolution, ReLU, then halving the image)"),
            "filters": self.tr("Filters of the first block; each next block doubles them (32 → 64 → 128)"),
            "kernel_size": self.tr("Side of the square filters: 3 for 3 × 3, 5 for 5 × 5, 7 for 7 × 7"),
            "dense_units": self.tr("Units of the hidden dense layer (0: none)"),
            "augment": self.tr("Random changes of the training images (none, light, or the lesson's)"),
            "pooling": self.tr("How each block halves the image: max or average pooling, or a stride-2 "
                               "convolution"),
            "head": self.tr("From the last feature maps to a vector: Flatten or GlobalMaxPooling"),
        }  # fmt: skip
        many = self.tr("Several values separated by commas; for random search also a range LOW..HIGH")
        for name, label in self.labels.items():
            label.setText(self.label_of(name))
            tip = f"{self._tips[name]} (--param {name})"
            label.setToolTip(tip)
            if name in self.edits:
                self.edits[name].setToolTip(f"{tip}\n{many}")
                self._tips[name] = f"{tip}\n{many}"
                default = PARAMS[name].default
                self.edits[name].setPlaceholderText(
                    self.tr("default: the optimizer's")
                    if default is None
                    else self.tr("default: {0}").format(default)
                )
            else:
                for choice, box in self.checks[name].items():
                    box.setText(self.choice_label(name, choice))
                    box.setToolTip(tip)
