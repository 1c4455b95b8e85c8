"""The Qt-free side of the Network tab's views, against hand-worked numbers, NumPy loops and
engine.explain."""

from __future__ import annotations

import math

import numpy as np
import pytest

from engine import explain, zoo
from gui.models import heads, hierarchy, invariance, look, network, overview
from gui.models.data import fit_image
from gui.models.session import model_info
from gui.models.training_guard import DivergenceWatch


@pytest.fixture(scope="module")
def small():
    """``zoo.small`` with random (seeded) weights and a few digit-like images."""
    model = zoo.build("small", (28, 28, 1), 10, seed=3)
    rng = np.random.default_rng(7)
    x = rng.random((40, 28, 28, 1)).astype(np.float32) * (rng.random((40, 28, 28, 1)) > 0.7)
    return model, x


def np_correlate(x: np.ndarray, k: np.ndarray, pad: tuple[int, int, int, int]) -> np.ndarray:
    """Valid cross-correlation of ``x (H, W)`` padded ``(top, bottom, left, right)`` with ``k``, float64."""
    xp = np.pad(x.astype(np.float64), ((pad[0], pad[1]), (pad[2], pad[3])))
    kh, kw = k.shape
    oh, ow = xp.shape[0] - kh + 1, xp.shape[1] - kw + 1
    out = np.zeros((oh, ow))
    for i in range(oh):
        for j in range(ow):
            out[i, j] = np.sum(xp[i : i + kh, j : j + kw] * k)
    return out


# -- softmax -----------------------------------------------------------------------------------------------
def test_softmax_steps_write_out_the_softmax():
    z = np.array([2.0, 1.0, 0.1])
    s = network.softmax_steps(z)
    np.testing.assert_allclose(s.exps, [math.e**2, math.e, math.exp(0.1)])
    assert s.total == pytest.approx(math.e**2 + math.e + math.exp(0.1))
    np.testing.assert_allclose(s.probabilities, [0.6590011, 0.2424330, 0.0985659], rtol=1e-6)
    assert s.shift == 0.0


def test_softmax_steps_shift_huge_logits_and_refuse_nan():
    s = network.softmax_steps([1000.0, 999.0])
    assert s.shift == 1000.0 and np.isfinite(s.exps).all()
    np.testing.assert_allclose(s.probabilities, [1 / (1 + math.exp(-1)), 1 / (1 + math.e)])
    with pytest.raises(ValueError, match="finite"):
        network.softmax_steps([0.0, float("nan")])


# -- one value's arithmetic ----------------------------------------------------------------------------------
def test_conv_cell_pool_cell_dense_cell_and_partial_maps_match_the_outputs(small):
    model, x = small
    outs = network.layer_outputs(model, x[0])
    conv1, conv2 = outs[0], outs[2]
    for out, layer_input in ((conv1, x[0]), (conv2, outs[1].array)):
        for c, i, j in ((0, 0, 0), (5, 3, 4), (7, out.array.shape[0] - 1, 2)):
            ar = network.conv_cell(layer_input, out, c, i, j)
            assert ar.value == pytest.approx(float(out.array[i, j, c]), abs=1e-5)
            assert ar.terms.shape == (layer_input.shape[2],)
    # the partial maps: each input channel correlated by hand, then summed with the bias
    partials, z = network.conv_partial_maps(outs[1].array, conv2, 5)
    for c in (0, 3, 15):
        ref = np_correlate(outs[1].array[:, :, c], conv2.kernel[:, :, c, 5].astype(np.float64), (1, 1, 1, 1))
        np.testing.assert_allclose(partials[c], ref, atol=1e-5)
    np.testing.assert_allclose(partials.astype(np.float64).sum(0) + conv2.bias[5], z, atol=1e-5)
    np.testing.assert_allclose(np.maximum(z, 0), conv2.array[:, :, 5], atol=1e-5)
    pool = network.pool_cell(conv1.array, outs[1], 4, 6, 3)
    assert pool.window.shape == (2, 2)
    assert pool.value == float(conv1.array[12:14, 6:8, 4].max()) == pytest.approx(outs[1].array[6, 3, 4])
    dense = network.dense_cell(outs[4].array, outs[5], 7)
    assert dense.terms.size == 1568
    assert dense.value == pytest.approx(float(outs[5].array[7]), abs=1e-4)


def test_flatten_reads_nhwc_position_by_position():
    # (H, W, C) = (2, 2, 3): index = (row * W + column) * C + channel
    order = [network.flatten_source((2, 2, 3), k) for k in range(12)]
    assert order[:4] == [(0, 0, 0), (0, 0, 1), (0, 0, 2), (0, 1, 0)]
    assert order[-1] == (1, 1, 2)
    maps = np.arange(12).reshape(2, 2, 3)
    assert [maps[r, c, ch] for r, c, ch in order] == list(maps.reshape(-1))
    with pytest.raises(ValueError, match="index must be in"):
        network.flatten_source((2, 2, 3), 12)


def test_logits_of_a_model_ending_in_softmax_are_recovered():
    from engine import layers
    from engine.models import Sequential

    m = Sequential(
        [layers.Conv2D(2, 3, input_shape=(6, 6, 1)), layers.Flatten(), layers.Dense(3, activation="softmax")],
        seed=1,
    )
    x = np.random.default_rng(0).random((6, 6, 1)).astype(np.float32)
    outs = network.layer_outputs(m, x)
    flat = outs[1].array.astype(np.float64)
    z = flat @ m.layers[2].params["kernel"] + m.layers[2].params["bias"]
    np.testing.assert_allclose(outs[-1].logits, z, rtol=1e-5)
    np.testing.assert_allclose(
        network.softmax_steps(outs[-1].logits).probabilities, outs[-1].array, rtol=1e-5
    )


# -- overview geometry ---------------------------------------------------------------------------------------
def test_overview_dependencies_by_hand_and_receptive_box(small):
    model, _ = small
    geo = overview.dependency_geometry(model)
    # conv2d_1 (layer 2) cell (3, 4) reads pooled rows 2..4, which pool conv rows 4..9, which read input 3..10
    deps = geo.dependencies(2, 5, 3, 4)
    assert [d.layer for d in deps] == [1, 0, -1]
    assert deps[0].box == (2, 3, 5, 6) and deps[0].channels is None  # a conv reads every channel
    assert deps[1].box == (4, 6, 10, 12)
    assert deps[2].box == explain.receptive_box(model, 2, 3, 4, clip=True) == (3, 5, 11, 13)
    # a pooling reads only its own channel, until a convolution mixes them
    pooled = geo.dependencies(3, 9, 6, 6)
    assert pooled[0].channels == frozenset([9]) and pooled[0].box == (12, 12, 14, 14)
    assert pooled[1].channels is None
    assert pooled[-1].box == explain.receptive_box(model, 3, 6, 6, clip=True)
    for layer, i, j in ((0, 0, 0), (0, 27, 13), (1, 13, 0), (2, 0, 13), (3, 0, 0)):
        assert geo.dependencies(layer, 0, i, j)[-1].box == explain.receptive_box(
            model, layer, i, j, clip=True
        )


def test_overview_flatten_value_depends_on_one_cell_of_one_map(small):
    model, _ = small
    geo = overview.dependency_geometry(model)
    deps = geo.dependencies(4, 100)  # (100 // 32 = position 3 -> row 0, column 3; channel 100 % 32 = 4)
    assert deps[0] == overview.Dependency(3, frozenset([4]), (0, 3, 1, 4))
    assert deps[-1].box == explain.receptive_box(model, 3, 0, 3, clip=True)
    dense = geo.dependencies(5, 2)
    assert dense[0].box == (0, 0, 1, 1568) and all(d.channels is None for d in dense)


def test_overview_global_pooling_reads_one_whole_map():
    model = zoo.build("lesson_gmp", (28, 28, 1), 10)
    geo = overview.dependency_geometry(model)
    deps = geo.dependencies(5, 7)
    assert deps[0] == overview.Dependency(4, frozenset([7]), (0, 0, 7, 7))
    assert deps[1].channels is None and deps[-1].box == (0, 0, 28, 28)


# -- receptive fields in the summary -------------------------------------------------------------------------
def test_model_info_has_each_layers_receptive_field(small):
    model, _ = small
    # 3x3 conv: 3; 2x2 pool: 3 + 1 = 4 (jump 2); 3x3 conv: 4 + 2 * 2 = 8; pool: 8 + 1 * 2 = 10
    assert model_info(model).fields == [(3, 3), (4, 4), (8, 8), (10, 10), None, None]


# -- hierarchy -----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("layer", [0, 2])
def test_layer_top_patches_equal_explain_top_patches_for_every_channel(small, layer):
    model, x = small
    found = hierarchy.layer_top_patches(model, x, layer, k=9)
    field = explain.receptive_field(model, layer)
    assert (found.field.size_h, found.n_images) == (field.size_h, len(x))
    for ch in found.channels:
        assert ch.patches == explain.top_patches(model, x, layer, ch.channel, k=9)
        for patch, crop in zip(ch.patches, ch.crops, strict=True):
            assert crop.shape == (field.size_h, field.size_w, 1)
            t, le, b, r = patch.box
            inside = crop[~np.isnan(crop[..., 0])]
            np.testing.assert_array_equal(
                np.sort(inside.ravel()), np.sort(x[patch.image_index, t:b, le:r].ravel())
            )
    assert hierarchy.conv_layers(model) == [(0, "conv2d"), (2, "conv2d_1")]


# -- look ----------------------------------------------------------------------------------------------------
def test_occlusion_per_pixel_is_the_mean_over_covering_squares():
    drops = np.arange(9, dtype=np.float32).reshape(3, 3)
    per = look.occlusion_per_pixel(drops, (6, 6), patch=2, stride=2)
    np.testing.assert_array_equal(per, np.kron(drops, np.ones((2, 2))))
    per = look.occlusion_per_pixel(np.array([[1.0, 3.0]], np.float32), (2, 3), patch=2, stride=1)
    np.testing.assert_allclose(per, [[1, 2, 3], [1, 2, 3]])


def test_upsample_keeps_constant_maps_and_corners():
    np.testing.assert_allclose(look.upsample(np.full((7, 7), 0.5), (28, 28)), 0.5)
    up = look.upsample(np.array([[0.0, 1.0]]), (1, 4))
    np.testing.assert_allclose(up, [[0.0, 0.25, 0.75, 1.0]])


def test_look_bundles_the_three_explanations(small):
    model, x = small
    r = look.look(model, x[1], class_index=3, layer="conv2d", patch=4, stride=3)
    np.testing.assert_array_equal(r.saliency, explain.saliency(model, x[1], 3))
    np.testing.assert_array_equal(r.grad_cam, explain.grad_cam(model, x[1], 3, layer="conv2d"))
    np.testing.assert_array_equal(r.occlusion, explain.occlusion(model, x[1], 3, patch=4, stride=3))
    assert r.grad_cam_image.shape == (28, 28) and r.occlusion.shape == (9, 9)
    assert r.predicted == int(np.argmax(model.predict(x[1:2])))


# -- invariance ----------------------------------------------------------------------------------------------
def test_invariance_rows_follow_shift_response(small):
    model, x = small
    r = invariance.invariance(model, x[2], (1, -2))
    ref = explain.shift_response(model, x[2], [(1, -2)])[0]
    assert [row.name for row in r.rows] == ["input"] + [c.name for c in ref.layers]
    for row, change in zip(r.rows[1:], ref.layers, strict=True):
        assert (row.changed, row.total) == (change.changed, change.total)
    moved = explain.shift_image(x[2], 1, -2)
    assert r.rows[0].changed == int((np.abs(moved - x[2]) > 0).sum())
    unshifted = model.predict(x[2:3])[0]
    p0 = np.exp(unshifted - unshifted.max()) / np.exp(unshifted - unshifted.max()).sum()
    assert r.curve_x[invariance.CURVE_SHIFTS.index(0)] == pytest.approx(p0[r.class_index], rel=1e-5)
    still = invariance.invariance(model, x[2], (0, 0))
    assert all(row.changed == 0 for row in still.rows)


def test_shift_batch_and_accuracy_against_the_shift(small):
    model, x = small
    for dy, dx in ((0, 3), (-2, 0), (1, -4), (0, 0)):
        moved = invariance.shift_batch(x[:5], dy, dx)
        for n in range(5):
            np.testing.assert_array_equal(moved[n], explain.shift_image(x[n], dy, dx))
    y = np.arange(len(x)) % 10
    acc_x, acc_y = invariance.accuracy_against_shift(model, x, y, shifts=(-2, 0, 1))
    for s, a in zip((-2, 0, 1), acc_x, strict=True):
        pred = np.array([np.argmax(model.predict(explain.shift_image(im, 0, s)[None])[0]) for im in x])
        assert a == pytest.approx(float((pred == y).mean()))
    assert acc_y[1] == acc_x[1]  # no shift either way


# -- Flatten vs GlobalMaxPooling -----------------------------------------------------------------------------
def test_pair_sizes_parameters_and_the_40_px_refusal():
    pair = heads.build_pair((28, 28, 1), 10, seed=0)
    for a, b in zip(pair["flatten"].get_weights()[:6], pair["gmp"].get_weights()[:6], strict=True):
        np.testing.assert_array_equal(a, b)  # the same base to start from
    f = heads.summarize_head(pair["flatten"], "flatten", (28, 28))
    g = heads.summarize_head(pair["gmp"], "gmp", (28, 28))
    # base 320 + 18,496 + 36,928; Flatten 7*7*64 = 3136 -> 3136*64 + 64, then 64*10 + 10
    assert (f.base_params, f.vector_size, f.total_params) == (55744, 3136, 55744 + 200768 + 650)
    assert (g.vector_size, g.total_params) == (64, 55744 + 4160 + 650)
    image = np.zeros((28, 28, 1), np.float32)
    image[6:22, 13:15] = 1.0
    big = heads.pad_to(image, 40)
    assert big.shape == (40, 40, 1) and big.sum() == image.sum() and big[12:28, 19:21].all()
    refused = heads.run_head(pair["flatten"], "flatten", big)
    assert refused.refused_at == "dense" and "6400" in refused.error and "3136" in refused.error
    assert refused.probabilities is None
    ran = heads.run_head(pair["gmp"], "gmp", big)
    assert ran.error == "" and ran.maps.shape == (10, 10, 64) and ran.vector.shape == (64,)
    np.testing.assert_allclose(ran.vector, ran.maps.max(axis=(0, 1)))
    assert ran.probabilities.sum() == pytest.approx(1.0)
    assert heads.summarize_head(pair["gmp"], "gmp", (40, 40)).base_shape == (10, 10, 64)


def test_pair_training_uses_the_same_batches_and_measures_each_model():
    rng = np.random.default_rng(0)
    x = rng.random((70, 28, 28, 1)).astype(np.float32)
    y = rng.integers(0, 10, 70)
    pair = heads.build_pair((28, 28, 1), 10, seed=0)
    t = heads.PairTraining(pair, x, y, x[:20], y[:20], epochs=1, batch_size=32)
    assert (t.steps_per_epoch, t.total) == (3, 3)
    batches = [t._batch(s) for s in range(3)]
    np.testing.assert_array_equal(
        np.sort(np.concatenate(batches)), np.arange(70)
    )  # one epoch, every image once
    while not t.done:
        t.step(2)
    for key, model in pair.items():
        pred = model.predict(x[:20]).argmax(1)
        assert t.results[key].accuracy == pytest.approx(float((pred == y[:20]).mean()))
        assert t.results[key].seconds > 0 and t.results[key].batches == 3
    assert heads.difference_noise(0.5, 0.5, 100) == pytest.approx(math.sqrt(0.5 / 100))


# -- images from elsewhere -----------------------------------------------------------------------------------
def test_fit_image_converts_colour_and_size():
    rgb = np.zeros((56, 40, 3), np.float32)
    rgb[..., 0] = 1.0  # pure red
    out = fit_image(rgb, (28, 28, 1))
    assert out.shape == (28, 28, 1) and out.dtype == np.float32
    np.testing.assert_allclose(
        out, 76 / 255, atol=1e-7
    )  # 8-bit luminance as the data sets: rint(0.299 * 255)
    grey = fit_image(np.full((28, 28), 0.6, np.float32), (28, 28, 3))
    assert grey.shape == (28, 28, 3) and np.all(grey == np.float32(153 / 255))
    kept = fit_image(np.full((9, 7), 1.0, np.float32), (None, None, 1))  # a size of None keeps the image's
    assert kept.shape == (9, 7, 1) and np.all(kept == 1.0)
    with pytest.raises(ValueError, match=r"\(H, W\), \(H, W, 1\) or \(H, W, 3\)"):
        fit_image(np.zeros((4, 4, 2)), (28, 28, 1))
    with pytest.raises(ValueError, match="NaN or inf"):
        fit_image(np.full((4, 4), np.nan, np.float32), (28, 28, 1))
    with pytest.raises(ValueError, match="takes 2 channels"):
        fit_image(np.zeros((4, 4), np.float32), (28, 28, 2))


# -- training safeguards -------------------------------------------------------------------------------------
def _batches(losses, accs, epoch=0, start=1):
    return [
        {"kind": "batch", "epoch": epoch, "step": start + n, "loss": loss, "accuracy": acc}
        for n, (loss, acc) in enumerate(zip(losses, accs, strict=True))
    ]


def test_watch_reports_divergence_once_past_ten_times_the_start():
    w = DivergenceWatch(0.1, 320)
    alerts = []
    for u in _batches([2.3, 20.0, 23.1, 900.0, 2.4], [0.1] * 5):
        alerts += w.batch(u)
    assert [(a.kind, a.step, a.loss) for a in alerts] == [("diverging", 3, 23.1)]
    assert alerts[0].start_loss == 2.3


def test_watch_reports_chance_only_for_a_whole_stalled_epoch():
    p, n = 0.1, 320  # threshold 0.1 + 3 * sqrt(0.09 / 320) = 0.1503
    w = DivergenceWatch(p, n)
    assert w.threshold == pytest.approx(0.1 + 3 * math.sqrt(0.09 / 320))
    flat = _batches([2.30] * 10, [0.12] * 10)
    for u in flat[:6]:
        assert w.batch(u) == []
    assert w.epoch_end({"epoch": 0, "step": 6}, steps_per_epoch=10) == []  # not a whole epoch
    for u in flat[6:]:
        w.batch(u)
    alerts = w.epoch_end({"epoch": 0, "step": 10}, steps_per_epoch=10)
    assert [(a.kind, a.diverged) for a in alerts] == [("chance", False)]
    assert alerts[0].accuracy == pytest.approx(0.12)
    # a slow but learning first epoch (loss falling) at chance is not reported
    w = DivergenceWatch(p, n)
    for u in _batches(list(np.linspace(2.3, 1.9, 10)), [0.12] * 10):
        w.batch(u)
    assert w.epoch_end({"epoch": 0, "step": 10}, 10) == []
    # above the threshold: not chance
    w = DivergenceWatch(p, n)
    for u in _batches([2.3] * 10, [0.16] * 10):
        w.batch(u)
    assert w.epoch_end({"epoch": 0, "step": 10}, 10) == []
    with pytest.raises(ValueError, match="chance"):
        DivergenceWatch(1.0, 10)
