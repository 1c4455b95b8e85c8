"""The case table of the bad-input corpus: for each case, its files, the API call, the CLI command, and the
error that must come back.

``api`` is Python run in a child process with ``d`` = the case folder; ``cli`` is the ``convscope`` arguments,
``{d}`` standing for the case folder. Both must fail with a clear error: the API raises ``error`` (or a
subclass) whose message holds every string of ``fragments``; the CLI exits non-zero with one
``convscope: error:`` line holding ``cli_fragments`` (default: ``fragments``), prints no traceback, and
shows none of ``cli_absent`` (output of work that should not have started). Neither may change, add or
remove a file in the case folder, nor allocate beyond the memory bound (see :mod:`corpus.harness`).

A case whose fix has not landed yet may carry ``api_xfail`` / ``cli_xfail`` (a reason): the tests mark it
``xfail(strict=True)``, so it turns into a failure the day the fix lands, and the marker must then go. No
case carries one today.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from corpus import make_corpus as mk


@dataclass(frozen=True)
class Case:
    name: str
    make: Callable[[Path], None]
    api: str | None
    cli: tuple[str, ...] | None
    error: str
    fragments: tuple[str, ...]
    cli_fragments: tuple[str, ...] | None = None
    cli_absent: tuple[str, ...] = ()
    api_xfail: str | None = None
    cli_xfail: str | None = None


LOAD_IMAGE = "from engine.io import load_image; load_image(d / {!r})"
CONVOLVE = ("convolve", "{d}/%s", "--filter", "identity", "-o", "{d}/out.png")
FOLDER = "from engine.datasets import load_dataset; load_dataset(str(d / 'data'), target_size=(28, 28))"
TRAIN = ("train", "--epochs", "1", "--limit", "40", "--save", "{d}/trained.npz", "--dataset")
IDX_API = (
    "from engine.datasets import load_dataset; "
    "load_dataset(f\"mnist-idx:{d / 'images.idx'},{d / 'labels.idx'}\")"
)
IDX_CLI = (*TRAIN, "mnist-idx:{d}/images.idx,{d}/labels.idx")
CIFAR_API = "from engine.datasets import load_cifar10; load_cifar10(d)"
CIFAR_CLI = (*TRAIN, "cifar10:{d}")
FILTER_API = "from engine.io import load_filter; load_filter(d / {!r})"
FILTER_CLI = ("convolve", "{d}/digit.png", "--filter", "{d}/%s", "-o", "{d}/out.png")
MODEL_API = "import engine; engine.load_model(d / 'model.npz')"
PREDICT = ("predict", "{d}/model.npz", "{d}/digit.png")
OPS = "import numpy as np; from engine import ops; "
SAVE_IMAGE = "import numpy as np; from engine.io import save_image; "
MODEL = "import numpy as np, engine; from engine import layers; "
FIT = (
    MODEL + "m = engine.Sequential([layers.Flatten(input_shape=(2, 2, 1)), "
    "layers.Dense(2, activation='softmax')]); "
    "m.compile('sgd', 'sparse_categorical_crossentropy', ['accuracy']); "
    "X = np.zeros((2, 2, 2, 1), np.float32); "
)
SHAPES_RUN = ("train", "--epochs", "1", "--dataset", "shapes", "--limit", "40")
DIVERGING_RUN = (*SHAPES_RUN, "--optimizer", "sgd", "--lr", "1e30")
NOT_TRAINED = ("model small",)  # printed just before training starts: a refusal must come before it
LABELS_RULE = "'labels' must be 3 integers in 0..9"


def _image(name: str, make: Callable[[Path], None], file: str, *fragments: str) -> Case:
    cli = tuple(a.replace("%s", file) for a in CONVOLVE)
    return Case(name, make, LOAD_IMAGE.format(file), cli, "ImageLoadError", (file, *fragments))


def _folder(name: str, make: Callable[[Path], None], *fragments: str) -> Case:
    cli = (*TRAIN, "{d}/data")
    return Case(name, make, FOLDER, cli, "DatasetError", ("data", *fragments), cli_absent=NOT_TRAINED)


def _idx(name: str, make: Callable[[Path], None], *fragments: str) -> Case:
    return Case(name, make, IDX_API, IDX_CLI, "DatasetError", fragments, cli_absent=NOT_TRAINED)


def _cifar(name: str, make: Callable[[Path], None], *fragments: str) -> Case:
    fragments = ("data_batch_1", *fragments)
    return Case(name, make, CIFAR_API, CIFAR_CLI, "DatasetError", fragments, cli_absent=NOT_TRAINED)


def _filter(name: str, make: Callable[[Path], None], file: str, *fragments: str) -> Case:
    cli = tuple(a.replace("%s", file) for a in FILTER_CLI)
    return Case(name, make, FILTER_API.format(file), cli, "FilterLoadError", (file, *fragments))


def _model(name: str, make: Callable[[Path], None], *fragments: str) -> Case:
    """A model file given to ``load_model`` and to ``convscope predict``."""
    return Case(name, make, MODEL_API, PREDICT, "ValueError", ("model.npz", *fragments))


def _api_only(name: str, code: str, error: str, fragments: tuple[str, ...]) -> Case:
    return Case(name, mk.make_nothing, code, None, error, fragments)


CASES: list[Case] = [
    # ------------------------------------------------------------------------------------------ images
    _image("image-zero-byte", mk.make_image_zero_byte, "zero.png", "empty (0 bytes)"),
    _image("image-truncated-png", mk.make_image_truncated_png, "cut.png", "truncated or corrupt"),
    _image("image-truncated-jpeg", mk.make_image_truncated_jpeg, "cut.jpg", "truncated or corrupt"),
    _image("image-random-bytes", mk.make_image_random_bytes, "random.png", "not an image"),
    _image("image-text-as-jpeg", mk.make_image_text_as_jpeg, "notes.jpg", "not an image"),
    _image("image-png-bomb", mk.make_image_png_bomb, "bomb.png", "too large"),
    _image("image-png-over-limit", mk.make_image_png_over_limit, "big.png", "too large", "64,000,000"),
    _image("image-gif-bomb", mk.make_image_gif_bomb, "bomb.gif", "too large"),
    _image("image-bmp-bomb", mk.make_image_bmp_bomb, "bomb.bmp", "too large"),
    _image("image-ztxt-bomb", mk.make_image_ztxt_bomb, "ztxt.png", "damaged image file"),
    _image("image-float-nan", mk.make_image_float_nan, "nan.tif", "NaN or infinite", "row 4, column 5"),
    Case(
        "image-size-60000",
        mk.make_folder_of_good_images,
        "from engine.io import load_image; load_image(d / 'data/cats/0.png', size=(60000, 60000))",
        (*TRAIN, "{d}/data", "--size", "60000x60000"),
        "ValueError",
        ("size=(60000, 60000)", "3,600,000,000 pixels", "max_image_pixels=64,000,000"),
        cli_fragments=("(60000, 60000)", "max_image_pixels=64,000,000"),
        cli_absent=NOT_TRAINED,
    ),
    # ----------------------------------------------------------------------------------- image folders
    _folder("folder-without-classes", mk.make_folder_without_classes, "no class sub-folders", "at least 1"),
    _folder("folder-without-images", mk.make_folder_without_images, "0 readable images in 2 class folders"),
    _folder("folder-of-garbage", mk.make_folder_of_garbage, "0 readable images", "(6 unreadable)"),
    _folder("folder-too-small-to-split", mk.make_folder_too_small_to_split, "4 images", "0 test images"),
    # --------------------------------------------------------------------------------------------- IDX
    _idx("idx-overflowing-dims", mk.make_idx_overflowing_dims, "images.idx", "(4294967295, 42", "2 GiB"),
    _idx("idx-dims-wrapping-to-zero", mk.make_idx_dims_wrapping_to_zero, "(2147483648, 21", "2 GiB"),
    _idx("idx-header-longer-than-file", mk.make_idx_header_longer_than_file, "truncated", "784,000 bytes"),
    _idx("idx-extra-bytes", mk.make_idx_extra_bytes, "784 bytes more than the header's (10, 28, 28)"),
    _idx("idx-gzip-lying-header", mk.make_idx_gzip_lying_header, "truncated", "2,048,000,000 bytes"),
    _idx("idx-zero-images", mk.make_idx_zero_images, "images.idx", "holds 0 images", "at least 1"),
    _idx("idx-twenty-images", mk.make_idx_twenty_images, "20 images", "0 test images", "TEST_IMAGES"),
    _idx("idx-zero-pixel-images", mk.make_idx_zero_pixel_images, "0x28 pixels", "at least 1x1"),
    _idx("idx-random-bytes", mk.make_idx_random_bytes, "images.idx", "not an IDX file"),
    _idx("idx-count-mismatch", mk.make_idx_count_mismatch, "holds 5 images", "3 labels"),
    # ------------------------------------------------------------------------------------------- CIFAR
    _cifar("cifar-empty-batch", mk.make_cifar_empty_batch, "holds 0 images", "at least 1"),
    _cifar("cifar-zero-byte-batch", mk.make_cifar_zero_byte_batch, "empty (0 bytes)"),
    _cifar("cifar-os-system", mk.make_cifar_os_system, "refused to unpickle", "system"),
    _cifar("cifar-exec-protocol-4", mk.make_cifar_exec_protocol_4, "refused to unpickle builtins.exec"),
    _cifar("cifar-numpy-huge-array", mk.make_cifar_numpy_huge_array, "not a readable pickle"),
    _cifar("cifar-lying-bytes-length", mk.make_cifar_lying_bytes_length, "not a readable pickle"),
    _cifar("cifar-labels-strings", mk.make_cifar_labels_strings, LABELS_RULE, "strings"),
    _cifar("cifar-labels-huge", mk.make_cifar_labels_huge, LABELS_RULE, "1e+20"),
    _cifar("cifar-not-a-dict", mk.make_cifar_not_a_dict, "a CIFAR-10 batch is a dict", "list"),
    _cifar("cifar-float-data", mk.make_cifar_float_data, "'data' must be uint8 (N, 3072)", "float64"),
    # ----------------------------------------------------------------------------------------- filters
    _filter("filter-png-as-npy", mk.make_filter_png_as_npy, "edge.npy", "not a .npy array", "PNG image"),
    _filter("filter-random-npy", mk.make_filter_random_npy, "edge.npy", "not a .npy array", "starts with"),
    _filter("filter-pickled-npy", mk.make_filter_pickled_npy, "edge.npy", "Python objects"),
    _filter("filter-npy-lying-shape", mk.make_filter_npy_lying_shape, "edge.npy", "100000x100000", "99x99"),
    _filter("filter-npy-truncated", mk.make_filter_npy_truncated, "edge.npy", "truncated", "200 bytes"),
    _filter("filter-complex", mk.make_filter_complex, "edge.npy", "complex values (dtype complex128)"),
    _filter("filter-nan", mk.make_filter_nan, "edge.npy", "NaN or infinite value at row 2, column 2"),
    _filter("filter-float32-overflow", mk.make_filter_float32_overflow, "edge.txt", "1e+39", "float32"),
    _filter("filter-json-deep", mk.make_filter_json_deep, "edge.json", "nested too deeply"),
    _filter("filter-json-strings", mk.make_filter_json_strings, "edge.json", "'a' is not a number"),
    _filter("filter-huge-text", mk.make_filter_huge_text, "edge.txt", "3,030,000 bytes", "1,048,576"),
    _filter("filter-json-bigint", mk.make_filter_json_bigint, "edge.json", "400-digit integer is too large"),
    # ------------------------------------------------------------------------------------------ models
    _model("model-png", mk.make_model_png, "not a ConvScope model file"),
    _model("model-random-bytes", mk.make_model_random_bytes, "not a ConvScope model file"),
    _model("model-truncated", mk.make_model_truncated, "not a ConvScope model file"),
    _model("model-pickled-entry", mk.make_model_pickled_entry, "pickled objects", "w_0000"),
    _model("model-filters-1e9", mk.make_model_filters_1e9, "filters", "1000000000"),
    _model("model-input-shape-20000", mk.make_model_input_shape_20000, "input_shape"),
    _model("model-units-1e12", mk.make_model_units_1e12, "units", "1000000000000"),
    _model("model-version-abc", mk.make_model_version_abc, "version", "'abc'"),
    _model("model-no-model-key", mk.make_model_no_model_key, "'model'"),
    _model("model-slots-5", mk.make_model_slots_5, "slots", "5"),
    _model("model-layer-config-string", mk.make_model_layer_config_string, "layer"),
    _model("model-nested-3000", mk.make_model_nested_3000, "nested"),
    _model("model-nan-weights", mk.make_model_nan_weights, "w_0000", "NaN"),
    _model("model-complex-weights", mk.make_model_complex_weights, "w_0002", "complex"),
    _model(
        "model-optimizer-state-wrong-shape",
        mk.make_model_optimizer_state_wrong_shape,
        "conv2d/kernel",
        "(5, 5)",
    ),
    _model("model-unknown-slot", mk.make_model_unknown_slot, "no_such_layer/kernel"),
    # -------------------------------------------------------------------- ops and training (API only)
    _api_only(
        "ops-global-pool-empty-axis",
        OPS + "ops.global_pool(np.ones((2, 0, 5, 3), np.float32), 'max')",
        "ValueError",
        ("Received",),
    ),
    _api_only(
        "ops-conv2d-zero-channels",
        OPS + "ops.conv2d(np.ones((4, 4, 0), np.float32), np.ones((3, 3, 0, 1), np.float32))",
        "ValueError",
        ("Received",),
    ),
    _api_only(
        "ops-leaky-relu-alpha-string",
        OPS + "ops.leaky_relu(np.ones(3), alpha='a')",
        "TypeError",
        ("alpha",),
    ),
    _api_only(
        "model-predict-empty-image",
        MODEL + "m = engine.Sequential([layers.GlobalMaxPooling2D(input_shape=(None, None, 3)), "
        "layers.Dense(2)]); m.predict(np.ones((1, 0, 0, 3), np.float32))",
        "ValueError",
        ("Received",),
    ),
    _api_only(
        "fit-labels-strings",
        FIT + "m.fit(X, np.array(['a', 'b']), epochs=1, verbose=0)",
        "ValueError",
        ("labels", "'a'"),
    ),
    _api_only(
        "fit-labels-1e20",
        FIT + "m.fit(X, np.array([1e20, 0.0]), epochs=1, verbose=0)",
        "ValueError",
        ("labels", "1e+20"),
    ),
    _api_only(
        "fit-epochs-none",
        FIT + "m.fit(X, np.array([1, 0]), epochs=None, verbose=0)",
        "TypeError",
        ("epochs",),
    ),
    _api_only(
        "evaluate-zero-samples",
        FIT + "m.evaluate(X[:0], np.zeros(0, np.int64), verbose=0)",
        "ValueError",
        ("0 samples",),
    ),
    _api_only(
        "fit-epochs-float",
        FIT + "m.fit(X, np.array([1, 0]), epochs=1.7, verbose=0)",
        "TypeError",
        ("epochs=1.7",),
    ),
    _api_only(
        "fit-single-callback",
        FIT
        + "from engine.callbacks import History; m.fit(X, np.array([1, 0]), callbacks=History(), verbose=0)",
        "TypeError",
        ("callbacks=[History()]",),
    ),
    _api_only(
        "fit-more-classes-than-outputs",
        FIT + "m.fit(X, np.array([0, 2]), epochs=1, verbose=0)",
        "ValueError",
        ("labels must be in [0, 2)", "Received: 2 (sample 1)"),
    ),
    _api_only(
        "model-predict-complex",
        FIT + "m.predict(X + 1j)",
        "TypeError",
        ("x must be real-valued", "complex"),
    ),
    _api_only(
        "model-dense-wider-input",
        MODEL + "d = layers.Dense(4); d.build((3136,)); d.forward(np.ones((1, 6400), np.float32))",
        "ValueError",
        ("D_in=6400", "expects 3136"),
    ),
    _api_only("ops-softmax-scalar", OPS + "ops.softmax(3.0)", "ValueError", ("softmax", "x=3.0")),
    _api_only(
        "ops-padding-bool",
        OPS + "ops.conv2d(np.ones((4, 4)), np.ones((3, 3)), padding=((True, 1), (0, 0)))",
        "TypeError",
        ("padding", "never bools"),
    ),
    _api_only(
        "ops-flip-string",
        OPS + "ops.conv2d(np.ones((4, 4)), np.ones((3, 3)), flip='no')",
        "TypeError",
        ("flip must be True or False", "'no'"),
    ),
    _api_only(
        "io-save-image-vmin-above-vmax",
        SAVE_IMAGE + "save_image(d / 'o.png', np.zeros((2, 2)), vmin=2, vmax=1)",
        "ValueError",
        ("vmin must not be above vmax",),
    ),
    _api_only(
        "io-save-image-nan-jpeg",
        SAVE_IMAGE + "save_image(d / 'o.jpg', np.full((2, 2), np.nan))",
        "ValueError",
        ("o.jpg", "4 NaN value(s)"),
    ),
    # ----------------------------------------------------------------------------- the CLI's own items
    Case(
        "cli-output-in-proc",
        mk.make_one_good_image,
        None,
        ("convolve", "{d}/digit.png", "--filter", "identity", "-o", "/proc/o.png"),
        "OSError",
        ("cannot write '/proc/o.png'", "folder '/proc'"),
    ),
    Case(
        "cli-output-in-missing-folder",
        mk.make_one_good_image,
        None,
        ("convolve", "{d}/digit.png", "--filter", "identity", "-o", "{d}/missing/o.png"),
        "FileNotFoundError",
        ("{d}/missing/o.png", "does not exist"),
    ),
    Case(
        "cli-save-to-a-folder",
        mk.make_folder_of_good_images,
        None,
        ("train", "--epochs", "1", "--dataset", "shapes", "--limit", "40", "--save", "{d}/data"),
        "IsADirectoryError",
        ("{d}/data", "folder"),
        cli_absent=NOT_TRAINED,
    ),
    Case(
        "cli-diverged-run-keeps-the-model",
        mk.make_good_model,
        None,
        (*DIVERGING_RUN, "--save", "{d}/model.npz"),
        "ValueError",
        ("not finite",),
        cli_absent=("Training stopped: Training stopped",),
    ),
    Case(
        "cli-save-in-proc",
        mk.make_nothing,
        None,
        (*SHAPES_RUN, "--save", "/proc/m.npz"),
        "OSError",
        ("--save: cannot write '/proc/m.npz'", "folder '/proc'"),
        cli_absent=NOT_TRAINED,
    ),
    Case(
        "cli-plot-unknown-extension",
        mk.make_nothing,
        None,
        (*SHAPES_RUN, "--save", "{d}/m.npz", "--plot", "{d}/curves.txt"),
        "ValueError",
        ("--plot '{d}/curves.txt'", "'.txt'", "Allowed: .png"),
        cli_absent=NOT_TRAINED,
    ),
    Case(
        "cli-model-outputs-not-the-classes",
        mk.make_architecture_ten_outputs,
        None,
        (*SHAPES_RUN, "--model", "{d}/ten.json", "--save", "{d}/m.npz"),
        "ValueError",
        ("--model '{d}/ten.json'", "6 for data set 'shapes'", "output shape (10,)"),
        cli_absent=("Epoch",),
    ),
    Case(
        "cli-predict-overflowing-model",
        mk.make_model_overflowing_weights,
        None,
        PREDICT,
        "ValueError",
        ("model.npz", "digit.png", "overflowed"),
        cli_absent=("nan%",),
    ),
]

CASES_BY_NAME = {case.name: case for case in CASES}
assert len(CASES_BY_NAME) == len(CASES), "case names must be unique"
