"""The Sweep page's table: one row per trial of the sweep, live (status, parameters, validation accuracy and
loss, weights, seconds, worker), sortable by any column.

:class:`TrialTableModel` holds the trials of the plan and what is known of each; :class:`TrialTable` is the
view (sorting through a proxy, double-click to open a finished trial's model).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from engine.sweep_axes import value_label
from gui import i18n

__all__ = ["STATUSES", "TrialState", "TrialTable", "TrialTableModel"]

# a trial's states, in the order a sort by status shows them
STATUSES = ("running", "waiting", "todo", "done", "earlier", "failed", "not_run")

_Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()
_COLOURS = {"running": "#1f5fbf", "failed": "#c00000", "earlier": "#666666", "not_run": "#888888"}


@dataclass
class TrialState:
    """What the table knows of one trial: its plan entry, status, last epoch and result row."""

    number: int
    trial: Any  # engine.sweep_space.Trial
    status: str = "todo"
    epoch: int = 0
    live_accuracy: float | None = None
    worker: str = ""
    row: dict[str, Any] | None = field(default=None)


def _number(decimals: int, value: float) -> str:
    text = f"{value:.{decimals}f}"
    return text.replace(".", ",") if i18n.current_language() == "fr" else text


def percent(value: float | None, decimals: int = 1) -> str:
    """``94.3%`` (``94,3 %`` in French); ``-`` for no value."""
    if value is None or not math.isfinite(value):
        return "-"
    text = _number(decimals, 100.0 * value)
    return f"{text}\u202f%" if i18n.current_language() == "fr" else f"{text}%"


class TrialTableModel(QAbstractTableModel):
    """The trials of a sweep and their progress (see the module docstring)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.states: list[TrialState] = []
        self._by_key: dict[str, int] = {}
        self.names: list[str] = []
        self.labels: dict[str, str] = {}
        self.epochs = 1
        self.best_key: str | None = None

    # ------------------------------------------------------------------------------------------- filling
    def set_plan(
        self, trials: Sequence[Any], names: Sequence[str], labels: Mapping[str, str], epochs: int
    ) -> None:
        """Show ``trials`` (all "to run"), with a column for each of ``names`` (their headers ``labels``)."""
        self.beginResetModel()
        self.states = [TrialState(i + 1, t) for i, t in enumerate(trials)]
        self._by_key = {t.key: i for i, t in enumerate(trials)}
        self.names = list(names)
        self.labels = dict(labels)
        self.epochs = int(epochs)
        self.best_key = None
        self.endResetModel()

    def set_labels(self, labels: Mapping[str, str]) -> None:
        """New header texts (a language change)."""
        self.labels = dict(labels)
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.columnCount() - 1)

    def state(self, key: str) -> TrialState | None:
        i = self._by_key.get(key)
        return None if i is None else self.states[i]

    def _changed(self, key: str) -> None:
        i = self._by_key[key]
        self.dataChanged.emit(self.index(i, 0), self.index(i, self.columnCount() - 1))

    def set_earlier(self, rows: Sequence[Mapping[str, Any]]) -> None:
        """Rows of this plan's trials found in the results file: "done in an earlier run"."""
        for row in rows:
            s = self.state(str(row["key"]))
            if s is not None:
                s.row, s.status = dict(row), "earlier" if row["status"] == "ok" else "todo"
                s.worker = str(row.get("worker") or "") if s.status == "earlier" else ""
        self._update_best()
        if self.states:
            self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, self.columnCount() - 1))

    def queue(self) -> None:
        """A run starts: every trial to run is waiting for a worker."""
        for s in self.states:
            if s.status in ("todo", "failed", "not_run"):
                s.status, s.epoch, s.live_accuracy = "waiting", 0, None
        if self.states:
            self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, self.columnCount() - 1))

    def started(self, key: str, worker: str) -> None:
        s = self.state(key)
        if s is not None:
            s.status, s.worker, s.epoch = "running", worker, 0
            self._changed(key)

    def epoch(self, key: str, info: Mapping[str, Any]) -> None:
        s = self.state(key)
        if s is not None and s.status == "running":
            s.epoch = int(info.get("epoch", s.epoch))
            acc = info.get("val_accuracy")
            s.live_accuracy = None if acc is None else float(acc)
            self._changed(key)

    def finished(self, row: Mapping[str, Any]) -> None:
        s = self.state(str(row["key"]))
        if s is not None:
            s.row = dict(row)
            s.status = "done" if row["status"] == "ok" else "failed"
            s.worker = str(row.get("worker", ""))
            self._update_best()
            self._changed(s.trial.key)

    def stopped(self) -> None:
        """The run ended: trials still waiting or running were not run."""
        for s in self.states:
            if s.status in ("waiting", "running"):
                s.status = "not_run"
        if self.states:
            self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, self.columnCount() - 1))

    def rows(self) -> list[dict[str, Any]]:
        """The result rows known (this run's and earlier ones), in plan order."""
        return [s.row for s in self.states if s.row is not None and s.status != "todo"]

    def counts(self) -> dict[str, int]:
        """How many trials are in each status."""
        out = dict.fromkeys(STATUSES, 0)
        for s in self.states:
            out[s.status] += 1
        return out

    def _update_best(self) -> None:
        ok = [s for s in self.states if s.row is not None and s.status in ("done", "earlier")]
        acc = [(s.row or {}).get("val_accuracy") for s in ok]
        scored = [
            (a, s.trial.key) for a, s in zip(acc, ok, strict=True) if a is not None and math.isfinite(a)
        ]
        old, self.best_key = self.best_key, max(scored)[1] if scored else None
        if old is not None and old != self.best_key and old in self._by_key:
            self._changed(old)

    # ------------------------------------------------------------------------------------------- columns
    def columns(self) -> list[str]:
        return [
            "number",
            "status",
            *self.names,
            "val_accuracy",
            "val_loss",
            "param_count",
            "seconds",
            "worker",
        ]

    def rowCount(self, parent: _Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.states)

    def columnCount(self, parent: _Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.columns())

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
        ):
            return None
        column = self.columns()[section]
        fixed = {
            "number": "#",
            "status": self.tr("Status"),
            "val_accuracy": self.tr("Val. accuracy"),
            "val_loss": self.tr("Val. loss"),
            "param_count": self.tr("Weights"),
            "seconds": self.tr("Seconds"),
            "worker": self.tr("Worker"),
        }
        if role == Qt.ItemDataRole.ToolTipRole:
            tips = {
                "val_accuracy": self.tr("Accuracy on the validation images after the last epoch"),
                "val_loss": self.tr("Loss on the validation images after the last epoch"),
                "param_count": self.tr("Number of weights (parameters) of the network"),
                "seconds": self.tr("Time to build and train the network"),
                "worker": self.tr("The Dask worker that trained it"),
            }
            return tips.get(column, self.labels.get(column, column))
        return fixed.get(column, self.labels.get(column, column))

    def status_text(self, s: TrialState) -> str:
        words = {
            "todo": self.tr("to run"),
            "waiting": self.tr("waiting"),
            "done": self.tr("done"),
            "earlier": self.tr("done earlier"),
            "failed": self.tr("failed"),
            "not_run": self.tr("not run"),
        }
        if s.status == "running":
            return self.tr("epoch {0}/{1}").format(min(s.epoch + 1, self.epochs), self.epochs)
        return words[s.status]

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        s = self.states[index.row()]
        column = self.columns()[index.column()]
        row = s.row if s.status not in ("todo", "waiting", "running") else None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(s, column, row)
        if role == Qt.ItemDataRole.UserRole:  # what sorting compares
            return self._sort_key(s, column, row)
        if role == Qt.ItemDataRole.ForegroundRole and s.status in _COLOURS and column in ("status", "number"):
            return QBrush(QColor(_COLOURS[s.status]))
        if role == Qt.ItemDataRole.FontRole and s.trial.key == self.best_key:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            if s.status == "failed" and row is not None:
                return row.get("error") or None
            if s.trial.key == self.best_key:
                return self.tr("The best validation accuracy of the sweep; double-click to open its model")
            if s.status in ("done", "earlier"):
                return self.tr("Double-click to open this network in the Network tab")
        if role == Qt.ItemDataRole.TextAlignmentRole and column not in ("status", "worker"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _display(self, s: TrialState, column: str, row: Mapping[str, Any] | None) -> str:
        if column == "number":
            return str(s.number)
        if column == "status":
            return self.status_text(s)
        if column in self.names:
            value = s.trial.seed if column == "seed" else s.trial.params[column]
            return value_label(value)
        if column == "worker":
            return (s.worker or "").removeprefix("tcp://") or "-"
        if column == "val_accuracy" and s.status == "running":
            return percent(s.live_accuracy) if s.live_accuracy is not None else "-"
        if row is None:
            return "-"
        value = row.get(column)
        if value is None:
            return "-"
        if column == "val_accuracy":
            return percent(float(value))
        if column == "val_loss":
            return _number(3, float(value)) if math.isfinite(float(value)) else "NaN"
        if column == "param_count":
            return i18n.format_int(int(value))
        return _number(1, float(value))  # seconds

    def _sort_key(self, s: TrialState, column: str, row: Mapping[str, Any] | None) -> Any:
        if column == "number":
            return s.number
        if column == "status":
            return STATUSES.index(s.status)
        if column in self.names:
            value = s.trial.seed if column == "seed" else s.trial.params[column]
            return value if isinstance(value, (int, float)) else str(value)
        if column == "worker":
            return s.worker
        value = None if row is None else row.get(column)
        if column == "val_accuracy" and s.status == "running":
            value = s.live_accuracy
        if value is None or not math.isfinite(float(value)):
            return -math.inf  # unknown values sort together, below every number
        return float(value)


class TrialTable(QTableView):
    """The table's view. ``openRequested(str)`` carries the key of a trial double-clicked."""

    openRequested = Signal(str)

    def __init__(self, model: TrialTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.source = model
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(model)
        self.proxy.setSortRole(Qt.ItemDataRole.UserRole)
        self.setModel(self.proxy)
        self.setSortingEnabled(True)
        self.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.verticalHeader().hide()
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.horizontalHeader().setStretchLastSection(True)
        self.doubleClicked.connect(self._double_clicked)

    def key_at(self, view_row: int) -> str:
        """The trial key of the row shown at ``view_row`` (sorting included)."""
        source = self.proxy.mapToSource(self.proxy.index(view_row, 0))
        return str(self.source.states[source.row()].trial.key)

    def view_row_of(self, key: str) -> int:
        """Where the trial ``key`` is shown now (-1: not in the table)."""
        i = self.source._by_key.get(key)
        return -1 if i is None else self.proxy.mapFromSource(self.source.index(i, 0)).row()

    def select_key(self, key: str) -> None:
        row = self.view_row_of(key)
        if row >= 0:
            self.selectRow(row)
            self.scrollTo(self.proxy.index(row, 0))

    def _double_clicked(self, index: QModelIndex) -> None:
        self.openRequested.emit(self.key_at(index.row()))
