"""Training safeguards, without Qt: notice a run that diverges or learns nothing, so the Training tab can say
so instead of only "Training finished".

:class:`DivergenceWatch` reads the updates the engine thread sends (:func:`gui.workers.training_steps`: a
``"batch"`` dict per batch, an ``"epoch"`` dict per epoch) and returns :class:`Alert` records:

* ``"diverging"``: the training loss went past ``factor`` (10) times its value on the run's first batch;
* ``"chance"``: over one whole epoch the training accuracy stayed at chance level (no better than always
  answering the most frequent class, within three standard errors of that rate) while the loss did not come
  down either (the median loss of the epoch's last third at least 95 % of its first third's), or after the run
  diverged. A loss that falls is a network learning, if slowly: its first epoch on a small data set can be at
  chance and is not reported.

Each kind is reported once per run.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass, field

__all__ = ["Alert", "DivergenceWatch"]


@dataclass(frozen=True)
class Alert:
    """``kind``: ``"diverging"`` or ``"chance"``; ``epoch`` and ``step`` (from 1) where it was noticed;
    ``loss`` and ``start_loss`` (diverging), ``accuracy`` and ``chance`` (chance level)."""

    kind: str
    epoch: int
    step: int
    loss: float = math.nan
    start_loss: float = math.nan
    accuracy: float = math.nan
    chance: float = math.nan
    #: the run diverged before (a collapse to one class), rather than learning nothing from the start
    diverged: bool = False


@dataclass
class DivergenceWatch:
    """See the module docstring. ``chance``: the accuracy of always answering the most frequent class
    (``1 / K`` for balanced classes); ``images_per_epoch`` sizes the tolerance around it."""

    chance: float
    images_per_epoch: int
    factor: float = 10.0
    start_loss: float | None = None
    reported: set[str] = field(default_factory=set)
    _epoch: int = -1
    _acc_sum: float = 0.0
    _batches: int = 0
    _losses: list[float] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not 0.0 < self.chance < 1.0:
            raise ValueError(f"chance must be in (0, 1). Received: chance={self.chance!r}")
        if self.images_per_epoch < 1:
            raise ValueError(f"images_per_epoch must be >= 1. Received: {self.images_per_epoch!r}")

    def reset(self) -> None:
        """A new run starts: forget its start loss, the epoch in progress and what was reported."""
        self.start_loss = None
        self.reported = set()
        self._epoch, self._acc_sum, self._batches = -1, 0.0, 0
        self._losses = []

    @property
    def threshold(self) -> float:
        """The highest epoch accuracy that still counts as chance: ``chance + 3 * sqrt(p (1 - p) / n)``."""
        p = self.chance
        return p + 3.0 * math.sqrt(p * (1.0 - p) / self.images_per_epoch)

    def batch(self, update: dict) -> list[Alert]:
        """Read one ``"batch"`` update (``step`` 1 starts a new run)."""
        if int(update.get("step", 0)) == 1:
            self.reset()
        loss, acc = float(update["loss"]), float(update.get("accuracy", math.nan))
        epoch = int(update.get("epoch", 0))
        if epoch != self._epoch:
            self._epoch, self._acc_sum, self._batches = epoch, 0.0, 0
            self._losses = []
        if math.isfinite(loss):
            self._losses.append(loss)
        if math.isfinite(acc):
            self._acc_sum += acc
            self._batches += 1
        alerts = []
        if self.start_loss is None:
            self.start_loss = loss
        elif (
            "diverging" not in self.reported
            and math.isfinite(loss)
            and self.start_loss > 0
            and loss > self.factor * self.start_loss
        ):
            self.reported.add("diverging")
            alerts.append(Alert("diverging", epoch, int(update.get("step", 0)), loss, self.start_loss))
        return alerts

    def _stalled(self) -> bool:
        """The loss did not come down over the epoch: median of the last third >= 95 % of the first's."""
        third = len(self._losses) // 3
        if third < 1:
            return True
        first = statistics.median(self._losses[:third])
        last = statistics.median(self._losses[-third:])
        return last >= 0.95 * first

    def epoch_end(self, update: dict, steps_per_epoch: int) -> list[Alert]:
        """Read one ``"epoch"`` update; the epoch counts only if all its ``steps_per_epoch`` batches were
        seen (a run stopped early says nothing about a whole epoch)."""
        epoch = int(update.get("epoch", 0))
        if epoch != self._epoch or self._batches < steps_per_epoch or "chance" in self.reported:
            return []
        accuracy = self._acc_sum / self._batches
        if accuracy > self.threshold:
            return []
        diverged = "diverging" in self.reported
        if not diverged and not self._stalled():
            return []
        self.reported.add("chance")
        step = int(update.get("step", 0))
        return [Alert("chance", epoch, step, accuracy=accuracy, chance=self.chance, diverged=diverged)]
