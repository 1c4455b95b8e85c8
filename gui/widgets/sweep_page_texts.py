"""What the Sweep page writes: the plan's summary, progress, messages and problems, in the learner's language.

Mixed into :class:`gui.widgets.sweep_page.SweepPage`; its strings are in the ``SweepTexts`` translation
context (PySide6's ``tr`` looks a string up under each class of the object's MRO).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from engine.sweep import SweepProgress
from engine.sweep_axes import value_label
from engine.sweep_space import PARAMS
from gui.models.sweep_setup import SetupError, SweepSetup
from gui.widgets.sweep_table import percent

__all__ = ["SweepTexts", "clock"]


def clock(seconds: float | None) -> str:
    """``1:05``, ``1:02:03``; ``--:--`` when unknown."""
    if seconds is None:
        return "--:--"
    s = round(seconds)
    return f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}" if s >= 3600 else f"{s // 60}:{s % 60:02d}"


class SweepTexts:
    """The page's sentences (see the module docstring); needs ``self.params`` (for the parameters' names)."""

    params: Any
    tr: Callable[..., str]

    def allowed_text(self, name: str) -> str:
        p = PARAMS[name]
        if p.kind == "int":
            return self.tr("whole numbers ≥ {0}").format(int(p.minimum))
        return self.tr("numbers > 0")

    def setup_message(self, exc: BaseException) -> str:
        """A problem of the settings, in words a learner can act on."""
        if not isinstance(exc, SetupError):
            return self.tr("This sweep cannot run: {0}").format(exc)
        v = exc.values
        label = self.params.label_of(v["param"]) if "param" in v else ""
        if exc.code == "values":
            return self.tr("{0}: “{1}” is not valid; give {2}, separated by commas.").format(
                label, v["text"], self.allowed_text(v["param"])
            )
        if exc.code == "range_needs_random":
            return self.tr("{0}: {1} is a range; ranges need random points (see Search).").format(
                label, v["text"]
            )
        if exc.code == "none_picked":
            return self.tr("{0}: tick at least one value.").format(label)
        if exc.code == "seeds":
            return self.tr(
                "Seeds: give whole numbers ≥ 0 separated by commas (e.g. 0, 1). Received: “{0}”"
            ).format(v["text"])
        if exc.code == "too_many":
            return self.tr(
                "{0} trials is more than one sweep may train ({1}): remove values, or use random points."
            ).format(v["count"], v["limit"])
        if exc.code == "folder":
            return self.tr("Choose the folder of the data set (the Choose... button).")
        if exc.code == "address":
            return self.tr(
                "A Dask scheduler's address looks like tcp://HOST:PORT (e.g. tcp://192.168.1.20:8786). "
                "Received: “{0}”",
            ).format(v["text"])
        if exc.code == "results":
            return self.tr("The results file must end in .csv. Received: “{0}”").format(v["text"])
        if exc.code == "unreachable":
            return self.unreachable_message(v["address"], v["reason"])
        return self.tr("This sweep cannot run: {0}").format(exc)

    def unreachable_message(self, address: str, reason: str) -> str:
        return self.tr(
            "No Dask scheduler answers at {0} ({1}). Check the address, start the scheduler there with "
            "'dask scheduler', or run on this computer.",
        ).format(address, reason)

    def plan_summary(self, setup: SweepSetup, trials: int, done: int) -> str:
        """``Trials: 18 (combinations: 9 × seeds: 2), epochs per trial: 2.`` and what the results file holds
        already (counts written as labels, so that no sentence depends on a plural)."""
        seeds = len(setup.seeds)
        text = self.tr("Trials: {0} (combinations: {1} × seeds: {2}), epochs per trial: {3}.").format(
            trials, trials // max(seeds, 1), seeds, setup.epochs
        )
        if done and done >= trials:
            return text + " " + self.tr("All are in the results file already: Run only shows them.")
        if done:
            return text + " " + self.tr("Already in the results file, skipped: {0}.").format(done)
        return text

    def start_message(self, setup: SweepSetup, skipped: int, todo: int) -> str:
        if not todo:
            return self.tr("Every trial of this sweep was done earlier: nothing to train.")
        where = (
            self.tr("Connecting to {0}...").format(setup.address)
            if setup.address
            else self.tr("Starting a Dask cluster on this computer...")
        )
        if skipped:
            where += " " + self.tr("Skipped, done in an earlier run: {0}.").format(skipped)
        return where

    def connected_message(self, setup: SweepSetup | None, info: Mapping[str, Any]) -> str:
        n = int(info.get("workers", 0))
        if setup is not None and setup.address:
            text = self.tr("Running on {0} (worker threads: {1}).").format(setup.address, n)
        else:
            text = self.tr("Running on this computer (worker processes: {0}).").format(n)
        link = info.get("dashboard")
        if link:
            text += " " + self.tr('Dask dashboard: <a href="{0}">{0}</a>').format(link)
        return text

    def stopping_message(self, embedded: bool) -> str:
        if embedded:
            return self.tr(
                "Stopping: finished trials are kept; the embedded cluster closes and ends the running ones "
                "(a few seconds)."
            )
        return self.tr(
            "Stopping: finished trials are kept; trials already running on the cluster are abandoned."
        )

    def counts_text(self, counts: Mapping[str, int], progress: SweepProgress | None) -> str:
        parts = [
            self.tr("done: {0}").format(counts["done"]),
            self.tr("running: {0}").format(counts["running"]),
            self.tr("failed: {0}").format(counts["failed"]),
        ]
        if counts["earlier"]:
            parts.append(self.tr("done earlier: {0}").format(counts["earlier"]))
        waiting = counts["waiting"] + counts["todo"]
        if waiting:
            parts.append(self.tr("to run: {0}").format(waiting))
        if progress is not None:
            parts.append(self.tr("elapsed {0}").format(clock(progress.elapsed)))
            if not progress.cancelled and progress.remaining:
                parts.append(self.tr("about {0} left").format(clock(progress.eta)))
        return "  ·  ".join(parts)

    def end_message(
        self, progress: SweepProgress | None, rows: Sequence[Mapping[str, Any]], cancelled: bool
    ) -> str:
        ran = 0 if progress is None else progress.done + progress.failed
        if cancelled:
            return self.tr(
                "Stopped. Trials finished in this run, saved: {0}. Run again to train the others."
            ).format(ran)
        good = [r for r in rows if r.get("status") == "ok" and r.get("val_accuracy") is not None]
        failed = [r for r in rows if r.get("status") == "failed"]
        why = ""
        if failed:
            why = " " + self.tr("Failed trials: {0} (select one to read why). The first: {1}").format(
                len(failed), failed[0].get("error") or "-"
            )
        if not good:
            return self.tr("The sweep ended without a trained network.") + why
        best = max(good, key=lambda r: float(r["val_accuracy"]))
        names = [n for n in self.params_varied()]
        shown = ", ".join(f"{self.params.label_of(n)} {value_label(best[n])}" for n in names)
        return (
            self.tr(
                "Sweep finished. Best validation accuracy: {0} ({1}). Double-click a trial to open it."
            ).format(percent(float(best["val_accuracy"])), shown or "-")
            + why
        )

    def trial_failed_message(self, number: int, error: str) -> str:
        return self.tr("Trial {0} failed: {1}").format(number, error or "-")

    def failure_message(self, code: str, message: str, values: Mapping[str, Any]) -> str:
        if code == "unreachable":
            return self.unreachable_message(values["address"], values["reason"])
        return self.tr("The sweep stopped: {0}").format(message)

    def params_varied(self) -> list[str]:
        """The parameters the table has a column for (overridden by the page)."""
        return []
