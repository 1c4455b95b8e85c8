"""The argument parser of the ``convscope`` sub-commands (``convolve``, ``train``, ``evaluate``, ``predict``,
``summary``, ``featuremaps``, ``export``, ``filters``, ``sweep``); what each one does lives in
:mod:`engine.cli.commands`.
"""

from __future__ import annotations

import argparse
from typing import Any

from engine.cli import commands, train
from engine.cli.args import ArgumentParser, positive_float, positive_int, size_type

__all__ = ["APP_FLAGS", "COMMANDS", "build_parser"]

#: the options of the desktop app (``convscope`` with no sub-command), listed in ``convscope --help``
APP_FLAGS = (
    "--screenshot",
    "--tab",
    "--lesson",
    "--lessons",
    "--image",
    "--filter",
    "--steps",
    "--train-steps",
    "--lang",
    "--size",
)

#: the sub-commands, in the order ``convscope --help`` lists them
COMMANDS = (
    "convolve",
    "train",
    "evaluate",
    "predict",
    "summary",
    "featuremaps",
    "export",
    "filters",
    "sweep",
)

APP_OPTIONS = """\
the desktop app (no subcommand):
  convscope                           start the app
  convscope [--screenshot PATH [--tab convolution|network|training|backprop] [--image FILE]
            [--filter NAME|FILE] [--steps N] [--train-steps N] [--size WIDTHxHEIGHT]] [--lang en|fr]
            [--channel luminance|r|g|b|rgb] [--page step|transposed|padding|stride|arithmetic]
            [--view overview|invariance|flatten|hierarchy|saliency]
                                      --screenshot renders one tab to PATH offscreen and exits
  convscope [--screenshot PATH] --lesson ID
                                      open the view of a lesson section (ID from --lessons)
  convscope --lessons [--lang en|fr]  list the lesson's sections: ID and title
"""

EXAMPLES = """\
examples:
  convscope convolve assets/images/camera.png --filter horizontal_line --relu --pool max:2 -o lines.png
  convscope train --dataset shapes --model small --epochs 3 --save shapes.npz --plot curves.png
  convscope train --dataset my_photos/ --size 64x48 --color rgb --save photos.npz
  convscope evaluate shapes.npz --plot confusion.png
  convscope predict shapes.npz my_drawing.png
  convscope featuremaps shapes.npz my_drawing.png -o maps.png
  convscope sweep --dataset shapes --epochs 2 --param lr=0.001,0.01 --param kernel_size=3,5,7 --out sweep.csv
  convscope export shapes.npz shapes.onnx
"""


def _dataset_options(p: argparse.ArgumentParser, default: str | None) -> None:
    p.add_argument(
        "--dataset",
        default=default,
        metavar="SPEC",
        help="digits | shapes | DIR (one sub-folder per class) | mnist-idx:IMAGES,LABELS[,TEST_IMAGES,"
        "TEST_LABELS] | cifar10:DIR"
        + (f" (default: {default})" if default else " (default: the one the model was trained on)"),
    )
    p.add_argument("--limit", type=positive_int, metavar="N", help="use at most N training and N test images")
    p.add_argument(
        "--size",
        type=size_type(),
        metavar="WIDTHxHEIGHT",
        help="resize images from a folder to this size (e.g. 64x48; one integer for a square)",
    )
    p.add_argument(
        "--color",
        choices=("grayscale", "rgb"),
        default=None,
        help="colour mode for images from a folder (default: grayscale)",
    )


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand (exposed for the docs and the tests)."""
    from engine import __version__

    common = ArgumentParser(add_help=False)
    common.add_argument(
        "--backend",
        choices=("cpu", "cuda", "reference"),
        help="compute backend (default: cpu, or $CONVSCOPE_BACKEND)",
    )
    parser = ArgumentParser(
        prog="convscope",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="ConvScope: see what a convolutional network does, from a terminal or the app.",
        epilog=APP_OPTIONS + "\n" + EXAMPLES,
    )
    parser.add_argument("--version", action="version", version=f"convscope {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=ArgumentParser)

    p = sub.add_parser(
        "convolve",
        parents=[common],
        help="filter an image with a kernel, write the feature map",
        description="Convolve a grey-level image with a filter (a preset name or a .npy/.txt/.csv/"
        ".json file), optionally ReLU and pool, and write the result as an image.",
    )
    p.add_argument("image", help="input image (PNG, JPEG, ...), read as grey levels in [0, 1]")
    p.add_argument(
        "--filter",
        required=True,
        metavar="NAME|FILE",
        help="a preset (see 'convscope filters') or a filter file",
    )
    p.add_argument("--padding", default="valid", help="valid | same | full | an int (default: valid)")
    p.add_argument("--stride", type=positive_int, default=1, help="stride (default: 1)")
    p.add_argument("--flip", action="store_true", help="true convolution (kernel rotated 180 degrees)")
    p.add_argument("--relu", action="store_true", help="apply ReLU (nulls the negatives)")
    p.add_argument("--pool", metavar="MODE:SIZE", help="pool afterwards, e.g. max:2, avg:3, min:2")
    p.add_argument(
        "--cmap",
        choices=("auto", "gray", "diverging", "hot"),
        default="auto",
        help="colours of the output (auto: diverging when values are signed, else gray)",
    )
    p.add_argument("-o", "--output", required=True, help="output image (.png, .jpg, ...)")
    p.add_argument("--npy", metavar="FILE", help="also save the raw float32 map as .npy")
    p.set_defaults(func=commands.convolve)

    p = sub.add_parser(
        "train",
        parents=[common],
        help="train a network on a dataset and save it",
        description="Train a network; a progress bar per epoch, the test accuracy at the end.",
    )
    _dataset_options(p, "digits")
    p.add_argument(
        "--model",
        default="small",
        metavar="small|lesson|lesson_gmp|lesson_bn|dilated|FILE.json",
        help="architecture preset or a JSON architecture file (default: small)",
    )
    p.add_argument("--epochs", type=positive_int, default=3, help="passes over the data (default: 3)")
    p.add_argument("--batch-size", type=positive_int, default=32, help="images per step (default: 32)")
    p.add_argument("--optimizer", choices=("adam", "sgd", "rmsprop"), default="adam", help="(default: adam)")
    p.add_argument("--lr", type=positive_float, help="learning rate (default: the optimizer's)")
    p.add_argument(
        "--augment",
        nargs="?",
        const="light",
        choices=("light", "lesson"),
        help="random transforms per batch: light (rotate 10 deg, shift/zoom 10%%) or lesson (the "
        "lesson's ImageDataGenerator: rotate 40, shift/zoom 20%%, shear, flips)",
    )
    p.add_argument(
        "--seed", type=int, default=0, help="seed for weights, shuffling and augmentation (default: 0)"
    )
    p.add_argument("--save", required=True, metavar="MODEL.npz", help="where to write the trained model")
    p.add_argument("--plot", metavar="CURVES.png", help="write loss/accuracy curves")
    p.set_defaults(func=train.run)

    p = sub.add_parser(
        "evaluate",
        parents=[common],
        help="accuracy and confusion matrix on a test set",
        description="Evaluate a saved model on the test split of a dataset.",
    )
    p.add_argument("model", help="a model saved by 'convscope train' or model.save()")
    _dataset_options(p, None)
    p.add_argument("--plot", metavar="CONFUSION.png", help="write the confusion matrix as an image")
    p.set_defaults(func=commands.evaluate)

    p = sub.add_parser(
        "predict",
        parents=[common],
        help="classify image files",
        description="Print the most likely classes for each image.",
    )
    p.add_argument("model", help="a saved model")
    p.add_argument("images", nargs="+", metavar="IMAGE", help="image files")
    p.add_argument("--top", type=positive_int, default=3, help="how many classes to list (default: 3)")
    p.add_argument(
        "--invert",
        action="store_true",
        help="invert grey levels first (dark ink on white paper -> MNIST's white ink on black)",
    )
    p.set_defaults(func=commands.predict)

    p = sub.add_parser(
        "summary",
        help="print a saved model's layers, shapes and parameter counts",
        description="Print the layers, output shapes and parameter counts of a saved model.",
    )
    p.add_argument("model", help="a saved model")
    p.set_defaults(func=commands.summary)

    p = sub.add_parser(
        "featuremaps",
        parents=[common],
        help="every layer's output for one image, as one PNG",
        description="Run one image through a saved model and draw every layer's feature maps.",
    )
    p.add_argument("model", help="a saved model")
    p.add_argument("image", help="an image file")
    p.add_argument("-o", "--output", required=True, help="output PNG")
    p.add_argument("--max-channels", type=positive_int, default=16, help="channels per layer (default: 16)")
    p.add_argument("--invert", action="store_true", help="invert grey levels first")
    p.set_defaults(func=commands.featuremaps)

    p = sub.add_parser(
        "export",
        help="write a saved model as an ONNX file (for onnxruntime, Netron, ...)",
        description="Write a saved model as a standard ONNX graph: input 'input' float32 NHWC "
        "[batch, H, W, C], output 'output'. Needs the 'onnx' package.",
    )
    p.add_argument("model", help="a saved model")
    p.add_argument("output", metavar="OUT.onnx", help="the ONNX file to write")
    p.add_argument(
        "--opset", type=positive_int, default=17, help="ONNX operator set, 13 or newer (default: 17)"
    )
    p.set_defaults(func=commands.export)

    p = sub.add_parser(
        "filters", help="list the filter presets", description="List the named filter presets."
    )
    p.set_defaults(func=commands.filters)
    _sweep_parser(sub)
    return parser


def _sweep_parser(sub: Any) -> None:
    from engine.cli import sweep
    from engine.sweep_space import PARAMS

    params = "\n".join(
        f"  {p.name:<12} {p.allowed():<22} {p.help}"
        + ("" if p.default is None else f" (default: {p.default})")
        for p in PARAMS.values()
    )
    p = sub.add_parser(
        "sweep",
        help="train one network per hyper-parameter point on Dask, rank them",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Train one network per point of a hyper-parameter grid (or N random points), each trial "
        "a task on Dask: an embedded cluster of one worker process per core, or --scheduler. One CSV row per "
        "finished trial; running the same command again resumes.",
        epilog=sweep.HELP_EXAMPLE + params,
    )
    _dataset_options(p, "shapes")
    p.add_argument("--epochs", type=positive_int, default=1, help="epochs per trial (default: 1)")
    p.add_argument(
        "--param",
        action="append",
        metavar="NAME=V1,V2",
        help="values of one hyper-parameter (repeat the option for each; see the list below)",
    )
    p.add_argument(
        "--random", type=positive_int, metavar="N", help="train N random points instead of the grid"
    )
    p.add_argument("--random-seed", type=int, metavar="S", help="seed of the random points (default: 0)")
    p.add_argument(
        "--seeds",
        type=sweep.parse_seeds,
        default=[0],
        metavar="S1,S2",
        help="train each point per seed (default: 0)",
    )
    p.add_argument(
        "--scheduler", metavar="tcp://HOST:PORT", help="run on this Dask cluster (default: embedded)"
    )
    p.add_argument(
        "--workers",
        type=positive_int,
        metavar="N",
        help="worker processes of the embedded cluster (default: cores)",
    )
    p.add_argument("--out", required=True, metavar="SWEEP.csv", help="the results file (created or resumed)")
    p.add_argument(
        "--plot", metavar="SWEEP.png", help="write validation accuracy against each hyper-parameter"
    )
    p.add_argument("--verbose", action="store_true", help="show Dask's logs")
    p.set_defaults(func=sweep.sweep)
