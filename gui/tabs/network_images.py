"""The Network tab's image side: the current image (a validation image, a file, a drawing, an image the
window routes here), the class the views explain, the detail dialogs the maps and the overview open, and model
files.

Mixed into :class:`gui.tabs.network.NetworkTab`; its strings are in the ``NetworkTab`` translation context.
"""

from __future__ import annotations

from typing import Any, cast

import numpy as np
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QFileDialog, QWidget

from gui.models.session import ModelInfo, model_info
from gui.tabs._network_host import NetworkHost
from gui.widgets.net_detail import CellDetailDialog, MapDetailDialog
from gui.widgets.net_drawpad import DrawDialog

__all__ = ["MODEL_FILES", "NetworkImagesMixin"]

MODEL_FILES = "ConvScope model (*.npz)"


class NetworkImagesMixin(NetworkHost):
    """See the module docstring."""

    def _pick_validation_image(self, i: int) -> None:
        data = self.session.data
        if data is None or not len(data.x_val):
            return
        i = min(i, len(data.x_val) - 1)
        self.set_image(data.x_val[i], self._validation_label(i), source="validation")

    def _validation_label(self, i: int) -> str:
        data = self.session.data
        assert data is not None
        return QCoreApplication.translate("NetworkTab", "validation image {i} (true class: {c})").format(
            i=i, c=data.class_names[int(data.y_val[i])]
        )

    def _update_info(self) -> None:
        """The image's name and the network's answer under it."""
        answer = self._answer
        if answer is None:
            self.image_info.setText(self._image_label)
            return
        names = self.class_names()
        best, p = answer
        name = names[best] if best < len(names) else str(best)
        self.image_info.setText(
            QCoreApplication.translate("NetworkTab", "{label} - prediction: {c} ({p:.0%})").format(
                label=self._image_label, c=name, p=p
            )
        )

    def set_image(self, image: np.ndarray, label: str, source: str = "file") -> None:
        """Make ``image`` ``(H, W, C)`` (or ``(H, W)``) in [0, 1] current and recompute every view."""
        img = np.asarray(image, np.float32)
        self._image = img[..., None] if img.ndim == 2 else img
        self._image_label = label
        self._image_source = source
        self._answer = None
        self._update_info()
        self.input.tile.set_array(self._image)
        self.refresh_maps()
        for view in self.net_views():
            if view is not self.hierarchy:
                view.invalidate()

    def set_input_image(self, array: np.ndarray, name: str) -> None:
        """An image opened or dropped in the window: ``(H, W)`` or ``(H, W, 3)`` float32 in [0, 1], fitted to
        the network's input as its training images are (:func:`gui.models.data.fit_image`)."""
        from gui.models.data import fit_image

        shape = tuple(self.session.info.input_shape) if self.session.info else (28, 28, 1)
        try:
            img = fit_image(array, shape)
        except ValueError as exc:
            self._error(str(exc))
            return
        self.set_image(img, name, source="window")

    def choose_class(self, k: int | None) -> None:
        """Explain class ``k`` in the Look and Invariance views (None: the predicted class)."""
        p = self.softmax.probabilities()
        if k is not None and len(p) and k == int(np.argmax(p)):
            k = None
        self._target = k
        self.softmax.set_chosen(k)
        self.look.invalidate()
        self.invariance.invalidate()
        if self.views.currentWidget() not in (self.look, self.invariance) and k is not None:
            self.show_view("saliency")

    def open_map(
        self, layer_index: int, channel: int, cell: tuple[int, int] | None = None
    ) -> MapDetailDialog:
        outs = self.maps.outputs
        prev = outs[layer_index - 1].array if layer_index > 0 else self._image
        dlg = MapDetailDialog(
            outs[layer_index], channel, prev, cast(QWidget, self), cell=cell, session=self.session
        )
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.show()
        return dlg

    def open_cell(self, layer: int, channel: int, i: int, j: int) -> QWidget | None:
        """The overview's click: the detail view of that value, with its arithmetic."""
        outs = self.overview.outputs
        if layer < 0 or layer >= len(outs):
            return None
        prev = outs[layer - 1].array if layer > 0 else self._image
        o = outs[layer]
        if o.array.ndim == 3:
            dlg: QWidget = MapDetailDialog(
                o, channel, prev, cast(QWidget, self), cell=(i, j), session=self.session
            )
        else:
            dlg = CellDetailDialog(o, channel, prev, self.class_names(), cast(QWidget, self))
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.show()
        return dlg

    def open_image(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            cast(QWidget, self),
            QCoreApplication.translate("NetworkTab", "Open an image"),
            "",
            QCoreApplication.translate("NetworkTab", "Images (*.png *.jpg *.jpeg *.bmp *.gif *.tif *.tiff)"),
        )
        if path:
            self.load_image_file(path)

    def load_image_file(self, path: str) -> None:
        """Read ``path`` resized to the network's input (grey or colour as it expects)."""
        from engine import io

        shape = self.session.info.input_shape if self.session.info else (28, 28, 1)
        try:
            img = io.load_image(path, mode="L" if shape[2] == 1 else "RGB", size=(shape[0], shape[1]))
        except (ValueError, OSError) as exc:
            self._error(str(exc))
            return
        self.set_image(img, path, source="file")

    def open_draw_pad(self) -> DrawDialog:
        if self._draw_dialog is None:
            self._draw_dialog = DrawDialog(cast(QWidget, self))
            self._draw_dialog.pad.drawn.connect(
                lambda im: self.set_image(
                    im, QCoreApplication.translate("NetworkTab", "your drawing"), "drawing"
                )
            )
        self._draw_dialog.show()
        return self._draw_dialog

    # ------------------------------------------------------------------------------------------- files
    def save_model(self, path: str | None = None) -> None:
        if not path:
            path, _ = QFileDialog.getSaveFileName(
                cast(QWidget, self),
                QCoreApplication.translate("NetworkTab", "Save the model"),
                "model.npz",
                MODEL_FILES,
            )
        if not path:
            return
        model = self.session.model
        self.session.run(
            lambda: model.save(path),
            lambda _: self.message.setText(
                QCoreApplication.translate("NetworkTab", "Model saved to {p}").format(p=path)
            ),
            self._error,
        )

    def load_model(self, path: str | None = None) -> None:
        if not path:
            path, _ = QFileDialog.getOpenFileName(
                cast(QWidget, self), QCoreApplication.translate("NetworkTab", "Open a model"), "", MODEL_FILES
            )
        if not path:
            return

        def job() -> tuple[Any, ModelInfo, list]:
            import engine

            model = engine.load_model(path)
            return model, model_info(model), model.get_weights()

        self.session.run(job, lambda r: self.session.set_model(*r), self._error)
