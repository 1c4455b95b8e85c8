"""gui.models.compare: coverage counts against a direct count, the pooling-vs-stride race and its verdict."""

from __future__ import annotations

import numpy as np
import pytest

from engine import shapes
from gui.models.compare import (
    PoolStrideRace,
    RaceSettings,
    SeedResult,
    build_pair,
    coverage,
    race_verdict,
)


def direct_coverage(h: int, w: int, k: int, padding, stride: int) -> np.ndarray:
    """Count, window by window, the input pixels each output position reads (the test's own oracle)."""
    t, b, le, r = shapes.resolve_padding(padding, (h, w), (k, k), (stride, stride))
    counts = np.zeros((h + t + b, w + le + r), np.int64)
    oh, ow = (h + t + b - k) // stride + 1, (w + le + r - k) // stride + 1
    for i in range(oh):
        for j in range(ow):
            counts[i * stride : i * stride + k, j * stride : j * stride + k] += 1
    return counts[t : t + h, le : le + w]


@pytest.mark.parametrize("padding", ["valid", "same", "full", 2])
@pytest.mark.parametrize("k", [1, 2, 3, 5])
@pytest.mark.parametrize("stride", [1, 2])
def test_coverage_equals_a_direct_count(padding, k, stride):
    np.testing.assert_array_equal(
        coverage((9, 7), k, padding, stride), direct_coverage(9, 7, k, padding, stride)
    )


def test_coverage_shows_the_lesson_claim():
    valid = coverage((28, 28), 3, "valid")
    assert valid[14, 14] == 9 and valid[0, 0] == 1  # K² in the centre, once in a corner
    assert sorted(set(valid[0].tolist())) == [1, 2, 3]  # 1 to K along an edge
    assert (coverage((28, 28), 3, "full") == 9).all()  # full padding: every pixel K² times
    same = coverage((28, 28), 3, "same")
    assert same[0, 0] == 4 and same[0, 14] == 6 and same[14, 14] == 9
    with pytest.raises(ValueError, match="does not fit"):
        coverage((2, 2), 3, "valid")


def tiny_digits(rng, n_train=96, n_test=64):
    """Digits-shaped data, learnable: class c lights row 2c + 3 of a 28 x 28 image (plus noise)."""

    def make(n):
        y = rng.integers(0, 10, n)
        x = rng.random((n, 28, 28, 1)).astype(np.float32) * 0.2
        for i, c in enumerate(y):
            x[i, 2 * c + 3, 4:24, 0] = 1.0
        return x, y.astype(np.int64)

    return make(n_train), make(n_test)


def test_the_pair_differs_only_in_pooling_versus_stride():
    pool, strided = build_pair(RaceSettings(pool_size=2, stride=2), seed=3)
    kinds = [type(layer).__name__ for layer in pool.layers]
    assert kinds == ["Conv2D", "MaxPooling2D", "Flatten", "Dense"]
    assert [type(layer).__name__ for layer in strided.layers] == ["Conv2D", "Flatten", "Dense"]
    conv_a, conv_b = pool.layers[0], strided.layers[0]
    assert conv_a.strides == (1, 1) and conv_b.strides == (2, 2)
    assert pool.layers[1].pool_size == (2, 2) and pool.layers[1].strides == (2, 2)
    same = ("filters", "kernel_size", "padding", "activation", "use_bias")
    assert [getattr(conv_a, a) for a in same] == [getattr(conv_b, a) for a in same]
    assert pool.output_shape == strided.output_shape == (10,)
    assert pool.count_params() == strided.count_params()  # 13 x 13 x 8 maps either way
    for a, b in zip(pool.get_weights(), strided.get_weights(), strict=True):  # the same starting point
        np.testing.assert_array_equal(a, b)
    # a pooling window that gives another map size: only the convolution can start the same
    pool, strided = build_pair(RaceSettings(pool_size=3, stride=2), seed=3)
    assert pool.layers[2].output_shape != strided.layers[1].output_shape
    np.testing.assert_array_equal(pool.layers[0].get_weights()[0], strided.layers[0].get_weights()[0])


def test_the_race_trains_both_networks_on_the_same_batches(rng):
    data = tiny_digits(rng)
    settings = RaceSettings(epochs=2, seeds=(0, 5), batch_size=32)
    race = PoolStrideRace(settings, data)
    assert race.total_batches == 2 * 2 * 2 * 3  # networks x seeds x epochs x batches
    seen: list[float] = []
    while True:
        progress = race.run(5)
        seen.append(progress.fraction)
        if progress.finished:
            break
    assert seen == sorted(seen) and seen[-1] == 1.0 and len(seen) > 2  # progress between short jobs
    assert [r.seed for r in race.results] == [0, 5]
    for seed, (pool, strided) in race.models.items():
        fresh_pool, fresh_stride = build_pair(settings, seed)
        for trained, fresh in (
            (pool, fresh_pool),
            (strided, fresh_stride),
        ):  # both trained from the seed's start
            assert any(
                not np.allclose(a, b) for a, b in zip(trained.get_weights(), fresh.get_weights(), strict=True)
            )
    for r in race.results:
        assert set(r.accuracy) == {"pool", "stride"} and all(0.0 <= a <= 1.0 for a in r.accuracy.values())
        assert r.params["pool"] == r.params["stride"] == 13530 + 80  # dense 13*13*8*10 + 10, conv 8*9 + 8
        assert all(s > 0 for s in r.seconds.values())
    # the same seed and data replay the same run
    again = PoolStrideRace(RaceSettings(epochs=2, seeds=(5,), batch_size=32), data)
    while not again.run(50).finished:
        pass
    for a, b in zip(again.models[5][1].get_weights(), race.models[5][1].get_weights(), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)
    assert again.results[0].accuracy == race.results[1].accuracy


def test_a_cancelled_race_stops_at_the_next_batch(rng):
    race = PoolStrideRace(RaceSettings(epochs=3, seeds=(0, 1)), tiny_digits(rng))
    race.run(3)
    race.cancel()
    progress = race.run(100)
    assert progress.cancelled and not progress.finished and progress.done_batches == 3
    assert progress.results == []


def result(seed, pool, stride, tp=2.0, ts=1.0):
    return SeedResult(
        seed, {"pool": pool, "stride": stride}, {"pool": tp, "stride": ts}, {"pool": 1, "stride": 1}
    )


def test_the_verdict_weighs_the_difference_against_the_seed_spread():
    same = race_verdict([result(0, 0.90, 0.89), result(1, 0.88, 0.895), result(2, 0.90, 0.90)])
    assert same.kind == "same" and same.seeds == 3
    assert same.diff == pytest.approx((-1.0 + 1.5 + 0.0) / 3)
    assert same.spread == pytest.approx(np.std([-1.0, 1.5, 0.0], ddof=1))
    assert same.speedup == pytest.approx(2.0)
    pool = race_verdict([result(0, 0.95, 0.90), result(1, 0.94, 0.90), result(2, 0.96, 0.91)])
    assert (
        pool.kind == "pool"
        and pool.pool == pytest.approx(95.0)
        and pool.stride == pytest.approx(90.333, abs=1e-3)
    )
    assert race_verdict([result(0, 0.90, 0.93), result(1, 0.90, 0.935)]).kind == "stride"
    assert race_verdict([result(0, 0.900, 0.902)]).kind == "same"  # one seed: under half a point is nothing
    assert race_verdict([result(0, 0.90, 0.92)]).kind == "stride"
    with pytest.raises(ValueError, match="at least one seed"):
        race_verdict([])
    with pytest.raises(ValueError, match="epochs must be an int >= 1"):
        RaceSettings(epochs=0)
    with pytest.raises(ValueError, match="seeds must hold at least one seed"):
        RaceSettings(seeds=())
