"""Flatten vs GlobalMaxPooling: one convolutional base (the lesson's), two heads side by side.

Each side shows what its head makes of the base's last maps for the current image (Flatten: every value, read
position by position in NHWC order; GlobalMaxPooling: the largest value of each map, the lesson's [1, 0, 1]),
its output size and parameter counts, what happens when the image grows (28 -> 40 px: the Flatten head is
refused, the GlobalMaxPooling one runs) and when it shifts; **Train both** trains the two networks from the
same initial weights on the same batches and compares accuracy and time.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSlider,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from gui.i18n import format_int
from gui.models.heads import (
    HeadRun,
    HeadSummary,
    PairTraining,
    build_pair,
    difference_noise,
    pad_to,
    run_head,
    summarize_head,
)
from gui.widgets.net_flatten_pictures import FlattenOrder, GmpVector
from gui.widgets.net_maps import bold_font
from gui.widgets.net_view import NetView

__all__ = ["FlattenView"]


def _nobr(n: int) -> str:
    """A count for rich text, grouped as the language writes it and never split across lines."""
    return f"<nobr>{format_int(n)}</nobr>"


class _HeadBox(QGroupBox):
    """One side: sizes, parameters, the picture, the run at the chosen size, the shift, the training."""

    def __init__(self, key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.sizes, self.params, self.run, self.shift, self.trained = (QLabel() for _ in range(5))
        for lbl in (self.sizes, self.params, self.run, self.shift, self.trained):
            lbl.setWordWrap(True)
            lbl.setTextFormat(Qt.TextFormat.RichText)
        self.picture: FlattenOrder | GmpVector = FlattenOrder() if key == "flatten" else GmpVector()
        lay = QVBoxLayout(self)
        lay.addWidget(self.sizes)
        lay.addWidget(self.params)
        lay.addWidget(self.picture)
        lay.addWidget(self.run)
        lay.addWidget(self.shift)
        lay.addWidget(self.trained)
        lay.addStretch(1)


class FlattenView(NetView):
    """See the module docstring. Owns its two models (only touched in engine-thread jobs)."""

    key = "flatten"

    def __init__(self, host: Any, parent: QWidget | None = None) -> None:
        super().__init__(host, parent)
        self._pair: dict[str, Any] | None = None
        self._pair_for: tuple | None = None
        self._pair_trained = False
        self.trainer: PairTraining | None = None
        self.training = False
        #: run Train both as soon as the pair exists (a lesson or a screenshot of this view)
        self.train_when_ready = False
        self.summaries: dict[str, HeadSummary] = {}
        self.runs: dict[str, HeadRun] = {}
        self.shift_runs: dict[str, HeadRun] = {}
        self.base_hw: tuple[int, int] = (28, 28)
        self.expected_vector = 0
        self.title = QLabel()
        self.title.setFont(bold_font(self, 1.15))
        self.title.setWordWrap(True)
        self.claim = QLabel()
        self.claim.setWordWrap(True)
        self.size_spin = QSpinBox()
        self.size_spin.setRange(8, 64)
        self.size_spin.setValue(28)
        self.size_spin.setSingleStep(4)
        self.shift_slider = QSlider(Qt.Orientation.Horizontal)
        self.shift_slider.setRange(-4, 4)
        self.shift_slider.setPageStep(1)
        self.shift_slider.setFixedWidth(120)
        self.shift_value = QLabel()
        self.train_btn = QPushButton()
        self.train_btn.setStyleSheet("font-weight: bold; padding: 4px 16px;")
        self.epochs = QSpinBox()
        self.epochs.setRange(1, 20)
        self.epochs.setValue(2)
        self.progress = QProgressBar()
        self.progress.hide()
        self.verdict = QLabel()
        self.verdict.setWordWrap(True)
        self.verdict.setTextFormat(Qt.TextFormat.RichText)
        self.boxes = {k: _HeadBox(k) for k in ("flatten", "gmp")}
        self._l_size, self._l_shift, self._l_epochs = QLabel(), QLabel(), QLabel()

        controls = QHBoxLayout()
        for w in (self._l_size, self.size_spin, self._l_shift, self.shift_slider, self.shift_value):
            controls.addWidget(w)
        controls.addStretch(1)
        train = QHBoxLayout()
        train.addWidget(self.train_btn)
        train.addWidget(self._l_epochs)
        train.addWidget(self.epochs)
        train.addWidget(self.progress, 1)
        train.addStretch(1)
        sides = QHBoxLayout()
        for box in self.boxes.values():
            sides.addWidget(box, 1)
        body = QWidget()
        body_lay = QVBoxLayout(body)
        body_lay.setContentsMargins(0, 0, 0, 0)
        body_lay.addLayout(controls)
        body_lay.addLayout(sides)
        body_lay.addLayout(train)
        body_lay.addWidget(self.verdict)
        body_lay.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        lay = QVBoxLayout(self)
        lay.addWidget(self.title)
        lay.addWidget(self.claim)
        lay.addWidget(scroll, 1)
        self.size_spin.valueChanged.connect(lambda _v: self.invalidate())
        self.shift_slider.valueChanged.connect(self._shift_moved)
        self.train_btn.clicked.connect(self.train_both)
        self.retranslate()

    # ---------------------------------------------------------------------------------------- compute
    def _data_key(self) -> tuple | None:
        data = self.host.session.data
        return None if data is None else (tuple(data.input_shape), int(data.num_classes))

    def job(self) -> Callable[[], Any] | None:
        image = self.host.current_image()
        key = self._data_key()
        if image is None or key is None or self.training:
            return None
        rebuild = key != self._pair_for
        pair = None if rebuild else self._pair
        seed = int(getattr(self.host.session, "seed", 0))
        size, dx = self.size_spin.value(), self.shift_slider.value()

        def work() -> tuple:
            models = build_pair(key[0], key[1], seed) if pair is None else pair
            summaries = {k: summarize_head(m, k, (size, size)) for k, m in models.items()}
            expected = summarize_head(models["flatten"], "flatten", key[0][:2]).vector_size
            runs = {k: run_head(m, k, pad_to(image, size)) for k, m in models.items()}
            shifted = {}
            if dx:
                from engine.explain import shift_image

                moved = pad_to(shift_image(image, 0, dx), size)
                shifted = {k: run_head(m, k, moved) for k, m in models.items()}
            return models, key, summaries, runs, shifted, expected

        return work

    def show_result(self, result: Any) -> None:
        models, key, self.summaries, self.runs, self.shift_runs, self.expected_vector = result
        if key != self._pair_for:
            self._pair_for, self._pair_trained = key, False
            self.trainer = None
        self._pair = models
        self.base_hw = (int(key[0][0]), int(key[0][1]))
        self._texts()
        if self.train_when_ready and not self._pair_trained and not self.training:
            self.train_both()

    def _shift_moved(self, value: int) -> None:
        self.shift_value.setText(self.tr("{n:+d} px").format(n=value))
        self.invalidate()

    # ---------------------------------------------------------------------------------------- train both
    def train_both(self) -> None:
        """Train the two networks on the session's data, same seed, same batches (engine thread, chunked)."""
        data = self.host.session.data
        if self._pair is None or data is None or self.training:
            return
        self.training = True
        self.train_when_ready = False
        self.train_btn.setEnabled(False)
        trainer = PairTraining(
            dict(self._pair),
            data.x_train,
            data.y_train,
            data.x_val,
            data.y_val,
            epochs=self.epochs.value(),
            seed=int(getattr(self.host.session, "seed", 0)),
        )
        self.trainer = trainer
        self.progress.setMaximum(trainer.total)
        self.progress.setValue(0)
        self.progress.show()
        self._step(trainer)

    def _step(self, trainer: PairTraining) -> None:
        def done(position: int) -> None:
            self.progress.setValue(position)
            if trainer.done:
                self.training = False
                self._pair_trained = True
                self.train_btn.setEnabled(True)
                self.progress.hide()
                self._texts()
                self.invalidate()
            else:
                self._step(trainer)

        def failed(message: str) -> None:
            self.training = False
            self.train_btn.setEnabled(True)
            self.progress.hide()
            self.host.report_error(message)

        self.host.session.run(lambda: trainer.step(8), done, failed)

    def is_ready(self) -> bool:
        waiting = self.train_when_ready and not self._pair_trained
        return super().is_ready() and not self.training and not waiting

    # ---------------------------------------------------------------------------------------- texts
    def _texts(self) -> None:
        if not self.summaries:
            return
        names = self.host.class_names()
        size = self.size_spin.value()
        for key, box in self.boxes.items():
            s, run = self.summaries.get(key), self.runs.get(key)
            if s is None or run is None:
                continue
            h, w, c = s.base_shape
            if key == "flatten":
                box.sizes.setText(
                    self.tr(
                        "The base gives {h}x{w}x{c} maps; Flatten makes a vector of <b>{d}</b> values "
                        "({h}·{w}·{c})."
                    ).format(h=h, w=w, c=c, d=_nobr(s.vector_size))
                )
            else:
                box.sizes.setText(
                    self.tr(
                        "The base gives {h}x{w}x{c} maps; GlobalMaxPooling keeps <b>{d}</b> values, one "
                        "per map."
                    ).format(h=h, w=w, c=c, d=_nobr(s.vector_size))
                )
            dense = [(n, p) for n, cls, p in s.head_params if cls == "Dense"]
            head = " + ".join(_nobr(p) for _, p in dense)
            box.params.setText(
                self.tr("Head: {head} weights; whole network: <b>{t}</b> parameters (base {b}).").format(
                    head=head, t=_nobr(s.total_params), b=_nobr(s.base_params)
                )
            )
            picture = box.picture
            if isinstance(picture, FlattenOrder):
                picture.set_maps(run.maps)
            else:
                picture.set_data(run.maps, run.vector)
            if run.error:
                expected = self.expected_vector
                box.run.setText(
                    "<span style='color:#c00000'>"
                    + self.tr("<b>Refused at {n}x{n}</b> by {layer}: {msg}").format(
                        n=size, layer=run.refused_at, msg=run.error
                    )
                    + "</span><br>"
                    + self.tr(
                        "At {n}x{n} Flatten makes {d} values, but the Dense layer was built for {e}: its "
                        "weight matrix fixes the image size."
                    ).format(n=size, d=_nobr(s.vector_size), e=format_int(expected))
                )
            elif run.probabilities is not None:
                best = int(np.argmax(run.probabilities))
                label = names[best] if best < len(names) else str(best)
                box.run.setText(
                    self.tr("At {n}x{n}: runs, prediction <b>{c}</b> ({p:.0%}).").format(
                        n=size, c=label, p=float(run.probabilities[best])
                    )
                )
            moved = self.shift_runs.get(key)
            dx = self.shift_slider.value()
            if not dx:
                box.shift.setText(self.tr("Move the image with the shift slider to compare the two vectors."))
            elif moved is None or moved.vector is None or run.vector is None:
                box.shift.setText("")
            else:
                a, b = run.vector.astype(np.float64), moved.vector.astype(np.float64)
                tol = 1e-5 * max(float(np.abs(a).max()), 1e-12)
                changed = float((np.abs(b - a) > tol).mean())
                size_change = float(np.linalg.norm(b - a) / (np.linalg.norm(a) or 1.0))
                box.shift.setText(
                    self.tr(
                        "Shifted {dx:+d} px: {s:.0%} of the vector's values change, by {r:.0%} in size."
                    ).format(dx=dx, s=changed, r=size_change)
                )
        self._training_texts()

    def _training_texts(self) -> None:
        t = self.trainer
        if t is None or not t.done:
            for box in self.boxes.values():
                box.trained.setText(
                    self.tr("Not trained yet: press Train both.") if not self._pair_trained else ""
                )
            self.verdict.setText("")
            return
        res = t.results
        for key, box in self.boxes.items():
            r = res[key]
            text = (
                self.tr("<b>{a:.1%}</b> validation accuracy after 1 epoch; training took {s:.1f} s.")
                if r.epochs == 1
                else self.tr("<b>{a:.1%}</b> validation accuracy after {e} epochs; training took {s:.1f} s.")
            )
            box.trained.setText(text.format(a=r.accuracy, e=r.epochs, s=r.seconds))
        f, g = res["flatten"], res["gmp"]
        noise = difference_noise(f.accuracy, g.accuracy, f.n_val)
        diff = f.accuracy - g.accuracy
        data = self.host.session.data
        n_train = len(data.x_train) if data is not None else 0
        lines = [
            (
                self.tr(
                    "Measured here: 1 epoch on the same {n} images in the same order, both bases "
                    "starting from the same weights; accuracy on {v} validation images: Flatten {af:.1%} in "
                    "{tf:.1f} s, GlobalMaxPooling {ag:.1%} in {tg:.1f} s."
                )
                if f.epochs == 1
                else self.tr(
                    "Measured here: {e} epochs on the same {n} images in the same order, both bases "
                    "starting from the same weights; accuracy on {v} validation images: Flatten {af:.1%} in "
                    "{tf:.1f} s, GlobalMaxPooling {ag:.1%} in {tg:.1f} s."
                )
            ).format(
                e=f.epochs,
                n=format_int(n_train),
                v=format_int(f.n_val),
                af=f.accuracy,
                tf=f.seconds,
                ag=g.accuracy,
                tg=g.seconds,
            )
        ]
        if abs(diff) > 2 * noise:
            if diff > 0:
                lines.append(
                    self.tr(
                        "Flatten is ahead by {d:.1f} points, more than twice the sampling noise "
                        "(±{s:.1f}): with images of a fixed size it did better here, as the lesson says; "
                        "its head can use where each feature is, with far more weights."
                    ).format(d=100 * diff, s=100 * noise)
                )
            else:
                lines.append(
                    self.tr(
                        "GlobalMaxPooling is ahead by {d:.1f} points (noise ±{s:.1f}), against the "
                        "lesson's rule of thumb for this run."
                    ).format(d=-100 * diff, s=100 * noise)
                )
        else:
            lines.append(
                self.tr(
                    "The difference ({d:+.1f} points) is within twice the sampling noise (±{s:.1f}): this "
                    "run does not tell the two heads apart."
                ).format(d=100 * diff, s=100 * noise)
            )
        lines.append(
            self.tr(
                "The times are close because the shared base does most of the work. One run, one seed, a "
                "short training: change the epochs or the seed to see how much it varies."
            )
        )
        self.verdict.setText("<br>".join(lines))

    def state(self) -> dict:
        return {
            "size": self.size_spin.value(),
            "shift": self.shift_slider.value(),
            "epochs": self.epochs.value(),
        }

    def restore_state(self, state: dict) -> None:
        for key, widget in (("size", self.size_spin), ("shift", self.shift_slider), ("epochs", self.epochs)):
            if isinstance(state.get(key), int):
                widget.setValue(state[key])

    def retranslate(self) -> None:
        self.title.setText(self.tr("Flatten or GlobalMaxPooling: from maps to a vector"))
        self.claim.setText(
            self.tr(
                "The base gives maps (height x width x channels); the dense head wants a vector. Flatten "
                "keeps every value, so the head needs a fixed image size; GlobalMaxPooling keeps each "
                "map's largest value, whatever the size, but forgets where features were."
            )
        )
        self.boxes["flatten"].setTitle(self.tr("Flatten head (the lesson's network)"))
        self.boxes["gmp"].setTitle(self.tr("GlobalMaxPooling2D head"))
        self._l_size.setText(self.tr("Input size"))
        self.size_spin.setSuffix(self.tr(" px"))
        self.size_spin.setToolTip(
            self.tr("The image is centred on a black square of this size (the digit keeps its size).")
        )
        self._l_shift.setText(self.tr("Shift"))
        self.shift_value.setText(self.tr("{n:+d} px").format(n=self.shift_slider.value()))
        self.train_btn.setText(self.tr("Train both"))
        self._l_epochs.setText(self.tr("epochs"))
        self._texts()
        if not self.summaries:
            self._training_texts()
