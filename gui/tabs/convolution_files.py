"""The Convolution tab's file dialogs: open an image or a filter, save the filter or the feature map.

Functions of the tab (passed in), so that the tab module stays about its views; their texts belong to the
``ConvolutionTab`` translation context, like the tab's own.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog

from engine import io
from gui import samples

__all__ = [
    "FILTER_FILES",
    "open_filter_dialog",
    "open_image_dialog",
    "save_feature_map",
    "save_filter_dialog",
]

FILTER_FILES = "*.npy *.txt *.csv *.json"


def open_image_dialog(tab: Any) -> None:
    path, _ = QFileDialog.getOpenFileName(
        tab,
        QCoreApplication.translate("ConvolutionTab", "Open image"),
        "",
        QCoreApplication.translate("ConvolutionTab", "Images ({0})").format(samples.IMAGE_FILE_FILTER),
    )
    if path:
        tab.load_image_path(path)


def open_filter_dialog(tab: Any) -> None:
    path, _ = QFileDialog.getOpenFileName(
        tab,
        QCoreApplication.translate("ConvolutionTab", "Open filter"),
        "",
        QCoreApplication.translate("ConvolutionTab", "Filters ({0})").format(FILTER_FILES),
    )
    if path:
        tab.load_filter_path(path)


def save_filter_dialog(tab: Any) -> None:
    path, _ = QFileDialog.getSaveFileName(
        tab,
        QCoreApplication.translate("ConvolutionTab", "Save filter"),
        "filter.txt",
        QCoreApplication.translate("ConvolutionTab", "Filters ({0})").format(FILTER_FILES),
    )
    if path:
        kernel = tab.editor.kernel()
        if kernel.ndim == 3:  # a filter file holds one K x K slice: the one on screen
            kernel = kernel[:, :, tab.editor.current_slice()]
        try:
            io.save_filter(path, kernel, tab.editor.preset_name())
            if tab.editor.depth() == 3:
                tab.status(
                    QCoreApplication.translate(
                        "ConvolutionTab", "The slice on screen was saved to {0}"
                    ).format(path)
                )
            else:
                tab.status(QCoreApplication.translate("ConvolutionTab", "Filter saved to {0}").format(path))
        except (ValueError, OSError) as exc:
            tab.status(
                QCoreApplication.translate("ConvolutionTab", "Cannot save the filter: {0}").format(exc),
                error=True,
                dialog=True,
            )


def save_feature_map(tab: Any, path: str | None = None) -> bool:
    """Write the complete feature map as a PNG (diverging colours, 0 = white)."""
    if tab.lab.result is None:
        tab.status(
            QCoreApplication.translate("ConvolutionTab", "The feature map is not computed yet."),
            error=True,
            dialog=True,
        )
        return False
    if path is None:
        path, _ = QFileDialog.getSaveFileName(
            tab,
            QCoreApplication.translate("ConvolutionTab", "Save feature map"),
            "feature_map.png",
            QCoreApplication.translate("ConvolutionTab", "PNG images (*.png)"),
        )
        if not path:
            return False
    fmap = tab.lab.result["conv"]  # the transposed convolution's output in transposed mode
    panel = tab.tpage.output_panel if tab.transposed() else tab.page.fmap_panel
    lo, hi = panel.view.value_range()  # the colours on screen
    try:
        io.save_image(path, fmap, cmap="diverging", vmin=lo, vmax=hi)
    except (ValueError, OSError) as exc:
        tab.status(
            QCoreApplication.translate("ConvolutionTab", "Cannot save the feature map: {0}").format(exc),
            error=True,
            dialog=True,
        )
        return False
    tab.status(QCoreApplication.translate("ConvolutionTab", "Feature map saved to {0}").format(path))
    return True
