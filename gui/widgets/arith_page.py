"""The "Convolution arithmetic" page of the lab: the cases of Dumoulin & Visin's guide side by side.

No padding, padding, half (same), full, stride, dilation and transposed: for each, the input as the kernel
reads it (the padding hatched), the first window outlined (a dilated kernel's taps apart), the output under it
and the output-size formula with the case's numbers. Every grid of the page is drawn at one cell size, so the
sizes compare at a glance (a 7 x 7 output is drawn 3.5 times as wide as a 2 x 2 one). The numbers come from
:mod:`gui.models.arithmetic` (through :mod:`engine.ops`).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from gui.models.arithmetic import CASES, ArithCase, CaseResult, compute_case
from gui.widgets import colormaps
from gui.widgets.grid_view import FitGroup, GridView, Highlight

__all__ = ["ArithmeticPage"]

#: the first window (input) and the cell it gives (output); the same orange as the step page's
CURRENT_COLOUR = (255, 140, 0)


def _label(bold: bool = False) -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
    if bold:
        font = label.font()
        font.setBold(True)
        label.setFont(font)
    return label


class CaseBox(QFrame):
    """One case: title, input (padded), output, formula. Attributes ``title``, ``input_view``,
    ``output_view``, ``formula``, ``result`` (:class:`~gui.models.arithmetic.CaseResult`)."""

    def __init__(self, case: ArithCase, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.case = case
        self.result: CaseResult = compute_case(case)
        self.title = _label(bold=True)
        self.input_view, self.output_view = GridView(), GridView()
        for view in (self.input_view, self.output_view):
            view.setMinimumSize(40, 40)
            # share the height the page has, never ask for more (the page must fit 1024 x 700 unscrolled)
            view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)
            view.min_number_px = 16
        self.formula = _label()
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 3, 4, 3)
        lay.setSpacing(2)
        lay.addWidget(self.title)
        lay.addWidget(self.input_view, 1)
        lay.addWidget(self.output_view, 1)
        lay.addWidget(self.formula)
        self._draw()

    def _draw(self) -> None:
        r, c = self.result, self.case
        orange = QColor(*CURRENT_COLOUR)
        self.input_view.set_data(r.shown_input, "grey", (0.0, 3.0), r.pads)
        self.output_view.set_data(r.output, "diverging", colormaps.symmetric_range(r.output))
        if c.transposed:
            self.input_view.set_highlights([Highlight(0, 0, 1, 1, orange, 2.5, True)])
            marks = [Highlight(0, 0, r.span, r.span, orange, 2.5)]
        else:
            marks = [Highlight(0, 0, r.span, r.span, orange, 2.5, c.dilation == 1)]
            if c.dilation > 1:
                marks += [Highlight(row, col, 1, 1, orange, 1.5, True) for row, col in r.taps]
            self.input_view.set_highlights(marks)
            marks = [Highlight(0, 0, 1, 1, orange, 2.5, True)]
        self.output_view.set_highlights(marks)


class ArithmeticPage(QWidget):
    """The guide's cases in a grid (four above, three below), one cell size for every grid of the page.

    Attributes: ``intro``, ``boxes`` (case key -> :class:`CaseBox`), ``fit_group``.
    """

    COLUMNS = 4

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.intro = _label()
        self.boxes = {case.key: CaseBox(case) for case in CASES}
        grid = QGridLayout(self)
        grid.setContentsMargins(4, 4, 4, 4)
        grid.setSpacing(4)
        grid.addWidget(self.intro, 0, 0, 1, self.COLUMNS)
        for i, box in enumerate(self.boxes.values()):
            grid.addWidget(box, 1 + i // self.COLUMNS, i % self.COLUMNS)
        for col in range(self.COLUMNS):
            grid.setColumnStretch(col, 1)
        grid.setRowStretch(1, 1)
        grid.setRowStretch(2, 1)
        views: list[GridView] = []
        for box in self.boxes.values():
            views += [box.input_view, box.output_view]
        self.fit_group = FitGroup(views)
        self.retranslate()

    def _titles(self) -> dict[str, str]:
        return {
            "no_padding": self.tr("No padding, stride 1"),
            "padding": self.tr("Padding P = 2"),
            "half": self.tr("Half (same) padding"),
            "full": self.tr("Full padding"),
            "stride": self.tr("Stride s = 2"),
            "dilation": self.tr("Dilation d = 2"),
            "transposed": self.tr("Transposed, stride 2"),
        }

    def _notes(self) -> dict[str, str]:
        return {
            "no_padding": self.tr("The window only goes where it fits."),
            "padding": self.tr("P zeros on each side: the output grows by 2P."),
            "half": self.tr("P = floor(K / 2) zeros: the output keeps the input's size."),
            "full": self.tr("P = K - 1: every overlap counts, the output grows."),
            "stride": self.tr("The window jumps s cells: about N / s outputs."),
            "dilation": self.tr("Taps d apart: the filter spans d(K - 1) + 1 cells."),
            "transposed": self.tr("Each input cell adds x × filter at s-cell steps: the output grows."),
        }

    def retranslate(self) -> None:
        self.intro.setText(
            self.tr(
                "<b>Convolution arithmetic</b> (Dumoulin &amp; Visin's guide), every grid at one cell size. "
                "Top: the input as the filter reads it (hatched: padding; orange: the first window). "
                "Bottom: the output. Hover a case for its numbers."
            )
        )
        titles, notes = self._titles(), self._notes()
        for key, box in self.boxes.items():
            r, c = box.result, box.case
            box.title.setText(titles[key])
            o = r.output.shape[0]
            params = self.tr("N = {0}, K = {1}, s = {2}, P = {3}").format(c.n, c.k, c.stride, r.pads[0])
            if c.dilation > 1:
                params += self.tr(", d = {0}").format(c.dilation)
            box.formula.setText(
                f"<b>{o} × {o}</b> = {r.formula}<br><span style='font-family: monospace;'>{r.numbers}</span>"
            )
            box.setToolTip(f"{params}. {notes[key]}")

    def output_sizes(self) -> dict[str, int]:
        """Each case's output size (the formula's result), by case key."""
        return {key: int(box.result.output.shape[0]) for key, box in self.boxes.items()}

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
