"""The Sweep page's Qt-free side (gui.models.sweep_setup): the space the controls describe, the number of
trials, seeds, scheduler addresses and whether one answers, the data a trial was trained on."""

from __future__ import annotations

import itertools
import socket

import pytest

from engine.sweep_space import PARAMS, Range, plan
from gui.models.sweep_setup import (
    DEFAULT_PORT,
    LESSON_PRESET,
    MAX_TRIALS,
    SetupError,
    SweepSetup,
    count_points,
    data_spec,
    lab_data_request,
    parse_seeds,
    probe_scheduler,
    scheduler_address,
    space_from_fields,
)

NO_PICKS = {name: [p.default] for name, p in PARAMS.items() if p.kind == "choice"}


def setup_of(space, seeds=(0,), n_random=None, tmp_path=None):
    return SweepSetup(
        space, data_spec("shapes", 200), 1, list(seeds), n_random, 0, tmp_path or "x.csv", None, 2
    )


# ------------------------------------------------------------------------------------------------ space
def test_typed_values_and_ticked_choices_make_the_space_defaults_left_out():
    fields = {
        "lr": "0.001, 0.01",
        "kernel_size": "3; 5;7",
        "filters": "16",
        "batch_size": "",
        "dense_units": " ",
    }
    picks = {**NO_PICKS, "optimizer": ["sgd", "adam"], "pooling": ["max"]}
    space, errors = space_from_fields(fields, picks, random=False)
    assert errors == []
    # filters=16 and pooling=max are the defaults: left out so that a point keeps the same key
    assert space == {"lr": [0.001, 0.01], "optimizer": ["adam", "sgd"], "kernel_size": [3, 5, 7]}
    # the grid the engine plans from it: every combination, once (worked out by hand: 2 x 2 x 3)
    trials = plan(space, data_spec("shapes", 200), 1, [0, 1])
    combos = {(t.params["lr"], t.params["optimizer"], t.params["kernel_size"], t.seed) for t in trials}
    assert combos == set(itertools.product([0.001, 0.01], ["adam", "sgd"], [3, 5, 7], [0, 1]))
    assert all(t.params["filters"] == 16 and t.params["pooling"] == "max" for t in trials)
    assert setup_of(space, seeds=(0, 1)).trials == len(trials) == 24


def test_nothing_chosen_is_one_trial_of_the_defaults():
    space, errors = space_from_fields({}, NO_PICKS, random=False)
    assert space == {} and errors == []
    assert count_points(space, False, 8) == 1
    (trial,) = plan(space, data_spec("shapes", 200), 1, [0])
    assert trial.params["kernel_size"] == 3 and trial.params["lr"] == 0.001  # adam's default rate


def test_every_wrong_parameter_is_reported_with_what_is_allowed():
    fields = {"lr": "0.01, fast", "kernel_size": "3, 0", "conv_layers": "1..3", "filters": "8"}
    picks = {**NO_PICKS, "head": []}
    space, errors = space_from_fields(fields, picks, random=False)
    by_param = {e.values["param"]: e for e in errors}
    assert set(by_param) == {"lr", "kernel_size", "conv_layers", "head"}
    assert by_param["lr"].code == "values" and by_param["lr"].values["allowed"] == "numbers > 0"
    assert "fast" in str(by_param["lr"])
    assert by_param["kernel_size"].values["allowed"] == "integers >= 1"
    assert by_param["conv_layers"].code == "range_needs_random"
    assert by_param["head"].code == "none_picked"
    assert space == {"filters": [8]}  # the good parameters still make their part of the space


def test_random_search_takes_ranges_and_draws_n_points():
    fields = {"lr": "0.0001..0.1", "kernel_size": "3, 5"}
    space, errors = space_from_fields(fields, NO_PICKS, random=True)
    assert errors == [] and space == {"lr": Range(0.0001, 0.1), "kernel_size": [3, 5]}
    assert count_points(space, True, 6) == 6  # a range: as many points as asked
    listed, _ = space_from_fields({"kernel_size": "3, 5, 7"}, NO_PICKS, random=True)
    assert count_points(listed, True, 10) == 3  # a grid of 3 points: never more than it holds
    trials = plan(space, data_spec("shapes", 200), 1, [0], n_random=6, random_seed=0)
    assert len(trials) == 6 and all(1e-4 <= t.params["lr"] <= 0.1 for t in trials)


def test_too_many_trials_is_refused_with_the_count():
    big = {
        "lr": [0.001 * k for k in range(1, 11)],
        "kernel_size": [1, 3, 5, 7, 9],
        "filters": list(range(1, 11)),
    }
    setup = setup_of(big, seeds=(0, 1, 2))
    assert setup.trials == 10 * 5 * 10 * 3 > MAX_TRIALS
    with pytest.raises(SetupError) as info:
        setup.check_size()
    assert info.value.code == "too_many" and info.value.values == {"count": 1500, "limit": MAX_TRIALS}
    setup_of(big, n_random=20).check_size()  # random points: fine


def test_the_lesson_preset_is_a_valid_sweep_of_18_networks():
    space, errors = space_from_fields(
        LESSON_PRESET["fields"], LESSON_PRESET["picks"], LESSON_PRESET["random"]
    )
    assert errors == []
    assert space == {"lr": [0.001, 0.01], "kernel_size": [3, 5, 7], "conv_layers": [1, 2, 3], "filters": [32],
                     "dense_units": [128]}  # fmt: skip
    assert count_points(space, False, 0) == 2 * 3 * 3


@pytest.mark.parametrize(
    ("text", "seeds"), [("0", [0]), ("0, 1, 2", [0, 1, 2]), ("3;1 , 3", [3, 1]), (" 7 ", [7])]
)
def test_seeds(text, seeds):
    assert parse_seeds(text) == seeds


@pytest.mark.parametrize("text", ["", "a", "-1", "0.5", "1,,2", "1 2"])
def test_bad_seeds_name_what_was_typed(text):
    with pytest.raises(SetupError) as info:
        parse_seeds(text)
    assert info.value.code == "seeds" and repr(text) in str(info.value)


# ---------------------------------------------------------------------------------------------- cluster
@pytest.mark.parametrize(
    ("typed", "address"),
    [
        ("tcp://10.0.0.5:8786", "tcp://10.0.0.5:8786"),
        ("10.0.0.5:9000", "tcp://10.0.0.5:9000"),
        ("  scheduler.lan  ", f"tcp://scheduler.lan:{DEFAULT_PORT}"),
        ("tls://host:1234", "tls://host:1234"),
        ("tcp://[::1]:8786", "tcp://[::1]:8786"),
    ],
)
def test_scheduler_addresses_are_written_in_full(typed, address):
    assert scheduler_address(typed) == address


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "http://host:8786",
        "tcp://:8786",
        "tcp://host:99999",
        "tcp://host:port",
        "host:8786/x",
        "tcp://host:0",
    ],
)
def test_bad_scheduler_addresses_say_what_one_looks_like(typed):
    with pytest.raises(SetupError) as info:
        scheduler_address(typed)
    assert info.value.code == "address" and "tcp://HOST:PORT" in str(info.value)
    assert repr(typed.strip()) in str(info.value)


def test_probe_finds_a_listening_port_and_names_a_closed_one():
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        probe_scheduler(f"tcp://127.0.0.1:{port}", timeout=2)  # answers: no error
    with pytest.raises(SetupError) as info:  # the same port, now closed
        probe_scheduler(f"tcp://127.0.0.1:{port}", timeout=2)
    assert info.value.code == "unreachable"
    assert info.value.values["address"] == f"tcp://127.0.0.1:{port}"
    assert "refused" in info.value.values["reason"].lower()


def test_probe_names_an_unknown_host():
    with pytest.raises(SetupError) as info:
        probe_scheduler("tcp://no-such-host.invalid:8786", timeout=2)
    assert info.value.code == "unreachable" and "no-such-host.invalid" in info.value.values["reason"]


# ------------------------------------------------------------------------------------------------- data
def test_data_specs_of_the_training_tab_choices(tmp_path):
    spec = data_spec("shapes", 600)
    assert (spec.name, spec.n_train, spec.n_test) == ("shapes", 600, 150)
    assert data_spec("digits", 200).n_test == 100  # never fewer than 100 validation images
    folder = data_spec("folder", 300, str(tmp_path), (32, 32), "rgb")
    assert (folder.name, folder.size, folder.color_mode) == (str(tmp_path), (32, 32), "rgb")
    assert data_spec("cifar10", 300, str(tmp_path)).name == f"cifar10:{tmp_path}"
    with pytest.raises(SetupError) as info:
        data_spec("folder", 300, str(tmp_path / "missing"))
    assert info.value.code == "folder"
    with pytest.raises(ValueError, match="kind must be"):
        data_spec("imagenet", 300)


def test_a_trials_row_says_which_data_to_load_for_its_network():
    assert lab_data_request({"dataset": "shapes", "n_train": 200, "n_test": 100}, 1) == (
        "shapes",
        {"n_train": 200, "n_val": 100},
    )
    kind, kw = lab_data_request({"dataset": "cifar10:/data/c10", "n_train": 500, "n_test": 125}, 3)
    assert kind == "cifar10" and kw["folder"] == "/data/c10" and kw["color_mode"] == "rgb"
    kind, kw = lab_data_request({"dataset": "/data/pets", "image_size": "48x32"}, 1)
    assert kind == "folder" and kw["image_size"] == (32, 48) and kw["color_mode"] == "grayscale"
