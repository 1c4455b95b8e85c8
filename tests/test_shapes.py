"""Output-size arithmetic against brute force: count the window positions that fit in the padded input."""

import math

import pytest

from engine import shapes


def brute_positions(n, k, s, before, after):
    padded = n + before + after
    return len([start for start in range(0, padded, s) if start + k <= padded])


@pytest.mark.parametrize("n", [1, 2, 3, 5, 8, 9, 28, 31])
@pytest.mark.parametrize("k", [1, 2, 3, 4, 5])
@pytest.mark.parametrize("s", [1, 2, 3])
def test_conv_output_size_matches_counting_positions(n, k, s):
    for mode in ("valid", "same", "full"):
        t, b, _, _ = shapes.resolve_padding(mode, (n, n), (k, k), (s, s))
        assert shapes.conv_output_size(n, k, s, mode) == brute_positions(n, k, s, t, b)
    assert shapes.conv_output_size(n, k, s, 1) == brute_positions(n, k, s, 1, 1)


@pytest.mark.parametrize("n,k,s", [(5, 3, 1), (7, 4, 2), (6, 3, 3), (1, 5, 1), (10, 2, 4)])
def test_same_padding_follows_tensorflow(n, k, s):
    out = math.ceil(n / s)
    total = max((out - 1) * s + k - n, 0)
    assert shapes.same_padding_1d(n, k, s) == (total // 2, total - total // 2)
    assert shapes.conv_output_size(n, k, s, "same") == out


def test_lesson_formulas_at_stride_1():
    # valid N-K+1, full N+K-1, same N (with K-1 zeros in total, not the lesson's K/2-1 border)
    assert shapes.conv_output_size(9, 3, 1, "valid") == 7
    assert shapes.conv_output_size(9, 3, 1, "full") == 11
    assert shapes.conv_output_size(9, 3, 1, "same") == 9
    assert sum(shapes.same_padding_1d(9, 3, 1)) == 3 - 1
    assert sum(shapes.same_padding_1d(9, 4, 1)) == 4 - 1
    assert shapes.pool_output_size(28, 2) == 14
    assert shapes.conv_output_formula("valid") == "N - K + 1"
    assert shapes.conv_output_formula("full") == "N + K - 1"
    assert shapes.conv_output_formula("same", 2) == "ceil(N / s)"


def test_kernel_that_does_not_fit_gives_zero():
    assert shapes.conv_output_size(2, 3, 1, "valid") == 0
    assert shapes.pool_output_size(1, 2) == 0


@pytest.mark.parametrize("bad", [0, -1, (1, 0), 1.5, "2", None, True, (1, 2, 3)])
def test_normalize_pair_rejects(bad):
    with pytest.raises((ValueError, TypeError), match="stride"):
        shapes.normalize_pair(bad, "stride")


@pytest.mark.parametrize(
    "bad,err",
    [
        ("middle", ValueError),
        (-1, ValueError),
        (((1, -1), (0, 0)), ValueError),
        ((1, 2, 3), TypeError),
        (1.5, TypeError),
    ],
)
def test_resolve_padding_rejects(bad, err):
    with pytest.raises(err, match="padding"):
        shapes.resolve_padding(bad, (5, 5), (3, 3), (1, 1))
