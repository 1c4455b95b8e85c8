"""Figures of what a CNN does, for notebooks and the ``convscope`` command (matplotlib, Agg only).

Each function returns a :class:`matplotlib.figure.Figure`; a notebook cell that ends with one shows it, and
:func:`save_figure` writes it (PNG, SVG, PDF). Given ``ax=``, a function draws into that Axes instead (and
returns its figure). Signed maps (filters, feature maps, products) use the app's colours: blue < 0 < red,
white at 0, with a colour bar. Nothing here imports ``matplotlib.pyplot`` or changes matplotlib's backend.

* images: :func:`show_image`, :func:`show_images` (:mod:`engine.viz.images`);
* the sliding window: :func:`show_step` (:mod:`engine.viz.walk`);
* a network: :func:`show_filters`, :func:`show_feature_maps` (:mod:`engine.viz.network`);
* training: :func:`plot_history`, :func:`plot_confusion`, :func:`show_mistakes` (:mod:`engine.viz.training`);
* a hyper-parameter sweep: :func:`plot_sweep` (:mod:`engine.viz.sweep`);
* several drawings side by side: ``fig, axes = viz.subplots(1, 3)``, then each function with ``ax=axes[k]``.

Example::

    from engine import viz
    viz.show_step(image, kernel, 0, 0, padding="same")   # the lesson's window, products and sum
    viz.show_feature_maps(model, x_test[0])               # every layer's output for one image
    viz.save_figure(viz.plot_history(history), "curves.png")
"""

from engine.viz._base import VizFigure, save_figure, subplots
from engine.viz.images import show_image, show_images
from engine.viz.network import show_feature_maps, show_filters
from engine.viz.sweep import plot_sweep
from engine.viz.training import confusion_matrix, plot_confusion, plot_history, show_mistakes
from engine.viz.walk import show_step

__all__ = [
    "VizFigure",
    "confusion_matrix",
    "plot_confusion",
    "plot_history",
    "plot_sweep",
    "save_figure",
    "show_feature_maps",
    "show_filters",
    "show_image",
    "show_images",
    "show_mistakes",
    "show_step",
    "subplots",
]
