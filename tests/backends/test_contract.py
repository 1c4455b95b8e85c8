"""The backend contract (engine.backends.contract) against each tier: every required function, with exactly
the contract's signature; the optional extras, when a tier has them, with theirs; a training device that fits
the Device protocol. And the shared names are declared once."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

import engine
from engine.backends import contract, get_module

TIERS = ["reference", "cpu", "cuda"]  # cuda: the simulator in CI (conftest), a GPU where there is one


@pytest.fixture(params=TIERS)
def tier(request):
    return get_module(request.param)


def test_every_tier_provides_every_required_function_with_the_contract_signature(tier):
    for name, signature in contract.REQUIRED.items():
        fn = getattr(tier, name, None)
        assert callable(fn), f"{tier.__name__} lacks {name}{signature}"
        assert contract.signature_of(fn) == contract.signature_of(getattr(contract, name)), (
            f"{tier.__name__}.{name}{inspect.signature(fn)} differs from the contract's {name}{signature}"
        )


def test_optional_extras_keep_their_signature_where_provided(tier):
    for name in contract.OPTIONAL:
        fn = getattr(tier, name, None)
        if fn is not None:
            assert contract.signature_of(fn) == contract.signature_of(getattr(contract, name)), name


def test_the_cpu_tier_has_the_fused_extras():
    cpu = get_module("cpu")
    assert all(callable(getattr(cpu, name, None)) for name in contract.OPTIONAL)


def test_a_signature_mismatch_is_caught():
    """The comparison the tests above rely on notices an extra argument and a default."""

    def conv2d(x, w, b, stride, pads, flip, relu=False):  # the shape an extra used to have
        raise NotImplementedError

    def dense(x, w, b=None):
        raise NotImplementedError

    assert contract.signature_of(conv2d) != contract.signature_of(contract.conv2d)
    assert contract.signature_of(dense) != contract.signature_of(contract.dense)


def test_every_tier_gives_a_training_device(tier):
    device = tier.training_device()
    assert isinstance(device, contract.Device)
    assert isinstance(device.resident, bool)
    assert device.resident == (tier.__name__ == "engine.backends.cuda")


def test_codes_follow_the_names():
    assert tuple(contract.ACTIVATION_CODES) == contract.ACTIVATIONS
    assert tuple(contract.POOL_CODES) == contract.POOL_MODES
    assert sorted(contract.ACTIVATION_CODES.values()) == list(range(len(contract.ACTIVATIONS)))
    assert engine.ops.ACTIVATIONS is contract.ACTIVATIONS and engine.ops.POOL_MODES is contract.POOL_MODES


@pytest.mark.parametrize(
    "literal",
    [
        '"linear", "relu", "leaky_relu"',  # the activation names
        '"max": 0',  # the pool mode codes
        '"relu": 1',  # the activation codes
        '("max", "min", "avg")',  # the pool modes
    ],
)
def test_shared_names_are_declared_once(literal):
    """Only engine/backends/contract.py spells them out; every other engine module imports them."""
    root = Path(engine.__file__).resolve().parent
    found = [
        str(path.relative_to(root))
        for path in sorted(root.rglob("*.py"))
        if literal in path.read_text(encoding="utf-8") and path.name != "contract.py"
    ]
    assert found == [], f"{literal} re-declared in {found}"


def test_choosing_the_cpu_tier_never_imports_numba_cuda():
    """numba.cuda is imported only when the cuda tier is chosen (a fresh interpreter: this one has it)."""
    import os
    import subprocess
    import sys

    code = (
        "import sys, numpy as np, engine\n"
        "from engine import zoo\n"
        "m = zoo.lesson((8, 8, 1), 2, seed=0)\n"
        "m.compile('adam', engine.losses.SparseCategoricalCrossentropy(from_logits=True))\n"
        "m.fit(np.zeros((4, 8, 8, 1)), np.zeros(4), verbose=0)\n"
        "m.predict(np.zeros((1, 8, 8, 1)))\n"
        "print('numba.cuda' in sys.modules)\n"
    )
    env = dict(os.environ, CONVSCOPE_BACKEND="cpu")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"


def test_the_contract_requires_the_convolution_arithmetic_and_batch_norm():
    """Issue 16: dilation (an argument of conv2d and its backward), the transposed convolution and batch
    normalisation are required of every tier, with these argument lists."""
    names = {
        "conv2d": ["x", "w", "b", "stride", "pads", "flip", "dilation"],
        "conv2d_backward": ["x", "w", "dy", "stride", "pads", "flip", "need_dx", "dilation"],
        "conv2d_transpose": ["x", "w", "b", "stride", "pads", "out_hw", "dilation"],
        "conv2d_transpose_backward": ["x", "w", "dy", "stride", "pads", "need_dx", "dilation"],
        "batch_norm": ["x", "gamma", "beta", "mean", "variance", "epsilon"],
        "batch_norm_training": ["x", "gamma", "beta", "epsilon"],
        "batch_norm_backward": ["x", "gamma", "mean", "variance", "dy", "epsilon", "training", "need_dx"],
        "moving_average": ["moving", "value", "momentum"],
    }
    for name, args in names.items():
        assert name in contract.REQUIRED
        assert [entry[0] for entry in contract.signature_of(getattr(contract, name))] == args, name
