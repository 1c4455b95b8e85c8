"""What the network looks at, without Qt: saliency, Grad-CAM and occlusion for one image and one class,
brought to the image's size for an overlay. :func:`look` runs in the engine thread."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["LookResult", "look", "occlusion_per_pixel", "upsample"]


@dataclass
class LookResult:
    """The three explanations of ``class_index`` for one image.

    ``saliency (H, W)``: ``max_c |d logit / d x|``; ``grad_cam (h, w)`` in [0, 1] at ``gradcam_layer``'s
    resolution (all zeros: no region speaks for the class) and ``grad_cam_image (H, W)`` its bilinear
    upsampling; ``occlusion (oh, ow)``: the drop in probability per hidden square, ``occlusion_image (H, W)``
    the mean drop over the squares covering each pixel.
    """

    class_index: int
    predicted: int
    probabilities: np.ndarray
    saliency: np.ndarray
    grad_cam: np.ndarray
    grad_cam_image: np.ndarray
    gradcam_layer: str
    occlusion: np.ndarray
    occlusion_image: np.ndarray
    patch: int
    stride: int

    @property
    def grad_cam_empty(self) -> bool:
        return not bool(np.any(self.grad_cam > 0))


def upsample(a: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """Bilinear resize of ``a (h, w)`` to ``size = (H, W)``, cell centres aligned (as image tools do)."""
    h, w = a.shape
    out_h, out_w = size
    ys = np.clip((np.arange(out_h) + 0.5) * h / out_h - 0.5, 0, h - 1)
    xs = np.clip((np.arange(out_w) + 0.5) * w / out_w - 0.5, 0, w - 1)
    rows = np.stack([np.interp(xs, np.arange(w), a[r]) for r in range(h)])  # (h, W)
    return np.stack([np.interp(ys, np.arange(h), rows[:, c]) for c in range(out_w)], axis=1).astype(
        np.float32
    )


def occlusion_per_pixel(drops: np.ndarray, size: tuple[int, int], patch: int, stride: int) -> np.ndarray:
    """The mean of ``drops (oh, ow)`` over the squares (``patch`` px, corners every ``stride`` px) covering
    each pixel of an ``size = (H, W)`` image; 0 where no square reaches."""
    total = np.zeros(size, np.float64)
    count = np.zeros(size, np.float64)
    for i in range(drops.shape[0]):
        for j in range(drops.shape[1]):
            total[i * stride : i * stride + patch, j * stride : j * stride + patch] += drops[i, j]
            count[i * stride : i * stride + patch, j * stride : j * stride + patch] += 1
    return np.where(count > 0, total / np.maximum(count, 1), 0.0).astype(np.float32)


def look(
    model: Any,
    image: np.ndarray,
    class_index: int | None = None,
    layer: str | None = None,
    patch: int = 4,
    stride: int = 2,
) -> LookResult:
    """Saliency, Grad-CAM (at ``layer``, default the last conv) and occlusion of ``image (H, W, C)`` for
    ``class_index`` (default: the predicted class)."""
    from engine import explain
    from engine.layers import Conv2D

    x = np.ascontiguousarray(image, np.float32)
    probs = model.predict_proba(x[None])[0].astype(np.float64)
    predicted = int(probs.argmax())
    c = predicted if class_index is None else int(class_index)
    if layer is None:
        convs = [name for name, leaf in model.iter_leaves() if isinstance(leaf, Conv2D)]
        layer = convs[-1] if convs else None
    cam = explain.grad_cam(model, x, c, layer=layer)
    sal = explain.saliency(model, x, c)
    occ = explain.occlusion(model, x, c, patch=patch, stride=stride)
    hw = (x.shape[0], x.shape[1])
    return LookResult(
        c,
        predicted,
        probs,
        sal,
        cam,
        upsample(cam, hw),
        str(layer),
        occ,
        occlusion_per_pixel(occ, hw, patch, stride),
        patch,
        stride,
    )
