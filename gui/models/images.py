"""Images from elsewhere (opened, dropped, drawn) fitted to a network's input, without Qt."""

from __future__ import annotations

import numpy as np

__all__ = ["fit_image"]


def fit_image(image: np.ndarray, input_shape: tuple) -> np.ndarray:
    """``image`` ``(H, W)`` or ``(H, W, 3)`` (or ``(H, W, 1)``) in [0, 1] as ``input_shape`` ``(h, w, c)``:
    grey (ITU-R 601 luma) for one channel, repeated grey for three, resized with Pillow's bilinear filter
    when the size differs (a size of None keeps the image's).

    Returns
    -------
    np.ndarray
        ``(h, w, c)`` float32 in [0, 1].
    """
    from PIL import Image

    a = np.asarray(image, np.float32)
    if a.ndim == 3 and a.shape[2] == 1:
        a = a[..., 0]
    if a.ndim not in (2, 3) or (a.ndim == 3 and a.shape[2] != 3) or a.size == 0:
        raise ValueError(
            f"image must have shape (H, W), (H, W, 1) or (H, W, 3). Received shape: {np.shape(image)}"
        )
    if not np.isfinite(a).all():
        raise ValueError("image contains NaN or inf values")
    h, w, c = (input_shape[0] or a.shape[0]), (input_shape[1] or a.shape[1]), int(input_shape[2])
    if c not in (1, 3):
        raise ValueError(f"the network takes {c} channels; only 1 (grey) or 3 (colour) images can be fitted")
    if c == 1 and a.ndim == 3:
        a = a @ np.array([0.299, 0.587, 0.114], np.float32)  # (H, W)
    elif c == 3 and a.ndim == 2:
        a = np.repeat(a[..., None], 3, axis=2)
    a = np.clip(a, 0.0, 1.0)
    if a.shape[:2] != (h, w):
        planes = a[..., None] if a.ndim == 2 else a
        resized = [
            np.asarray(
                Image.fromarray(planes[:, :, k].astype(np.float32)).resize((w, h), Image.Resampling.BILINEAR)
            )
            for k in range(planes.shape[2])
        ]
        a = np.stack(resized, axis=2)
    if a.ndim == 2:
        a = a[..., None]
    return np.ascontiguousarray(np.clip(a, 0.0, 1.0), np.float32)
