"""Write the bad-input corpus: files a user or an attacker could hand ConvScope, built from readable code.

Each ``make_*`` function writes one case's file(s) into the folder it is given and returns nothing; the case
table (:mod:`corpus.cases`) says which function makes which case, which API call and which ``convscope``
command read it, and what error must come back. Nothing here is a binary blob: a PNG bomb is a PNG header
that claims 100000x100000 pixels, a lying IDX file is a header that claims more bytes than follow, a hostile
pickle is a ``__reduce__`` that would create a marker file, a tampered model is a model saved by the engine
whose JSON description was edited.

Run it by hand to look at the files::

    python tests/corpus/make_corpus.py /tmp/corpus      # one sub-folder per case
"""

from __future__ import annotations

import gzip
import json
import os
import pickle
import struct
import sys
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

MARKER = "MARKER"  # the file hostile payloads try to create in the case folder; it must never appear

# ------------------------------------------------------------------------------------------- images


def digit_png(path: Path, size: int = 28, value: int = 200) -> Path:
    """A valid 8-bit grey PNG (a bright square on black), used where a case needs one good image."""
    arr = np.zeros((size, size), np.uint8)
    arr[size // 4 : 3 * size // 4, size // 4 : 3 * size // 4] = value
    Image.fromarray(arr).save(path, format="PNG")
    return path


def _noise_image(path: Path, fmt: str) -> bytes:
    arr = np.random.default_rng(7).integers(0, 256, (64, 64, 3), dtype=np.uint8)
    Image.fromarray(arr).save(path, format=fmt)
    return path.read_bytes()


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_claiming(width: int, height: int, extra_chunks: bytes = b"") -> bytes:
    """A tiny PNG whose IHDR claims ``width x height`` 1-bit grey pixels (a decompression bomb's header)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", ihdr)
        + extra_chunks
        + _png_chunk(b"IDAT", zlib.compress(b"\x00" * 4096, 9))
        + _png_chunk(b"IEND", b"")
    )


def make_image_zero_byte(d: Path) -> None:
    (d / "zero.png").write_bytes(b"")


def make_image_truncated_png(d: Path) -> None:
    data = _noise_image(d / "cut.png", "PNG")
    (d / "cut.png").write_bytes(data[: len(data) * 6 // 10])


def make_image_truncated_jpeg(d: Path) -> None:
    data = _noise_image(d / "cut.jpg", "JPEG")
    (d / "cut.jpg").write_bytes(data[: len(data) // 2])


def make_image_random_bytes(d: Path) -> None:
    (d / "random.png").write_bytes(np.random.default_rng(1).integers(0, 256, 5000, np.uint8).tobytes())


def make_image_text_as_jpeg(d: Path) -> None:
    (d / "notes.jpg").write_text("this is not a picture\n")


def make_image_png_bomb(d: Path) -> None:
    (d / "bomb.png").write_bytes(png_claiming(100_000, 100_000))  # 10 G pixels in 130 bytes


def make_image_png_over_limit(d: Path) -> None:
    (d / "big.png").write_bytes(png_claiming(9_000, 9_000))  # 81 M pixels: under Pillow's guard, over ours


def make_image_gif_bomb(d: Path) -> None:
    # logical screen 65535 x 65535, one 1x1 frame
    header = b"GIF89a" + struct.pack("<HHBBB", 65535, 65535, 0x80, 0, 0) + b"\x00\x00\x00\xff\xff\xff"
    frame = b"\x2c" + struct.pack("<HHHHB", 0, 0, 65535, 65535, 0) + b"\x02\x02\x44\x01\x00"
    (d / "bomb.gif").write_bytes(header + frame + b"\x3b")


def make_image_bmp_bomb(d: Path) -> None:
    width, height = 60_000, 60_000  # 3.6 G pixels claimed by a 58-byte file
    info = struct.pack("<IiiHHIIiiII", 40, width, height, 1, 24, 0, 0, 2835, 2835, 0, 0)
    body = b"\x00" * 4
    head = b"BM" + struct.pack("<IHHI", 14 + len(info) + len(body), 0, 0, 14 + len(info))
    (d / "bomb.bmp").write_bytes(head + info + body)


def make_image_ztxt_bomb(d: Path) -> None:
    text = _png_chunk(b"zTXt", b"Comment\x00\x00" + zlib.compress(b"A" * (64 << 20), 9))  # 64 MB of text
    (d / "ztxt.png").write_bytes(png_claiming(8, 8, extra_chunks=text))


def make_image_float_nan(d: Path) -> None:
    arr = np.full((16, 16), 0.5, np.float32)
    arr[3, 4] = np.nan
    Image.fromarray(arr).save(d / "nan.tif")


def make_one_good_image(d: Path) -> None:
    digit_png(d / "digit.png")


# -------------------------------------------------------------------------------------- image folders


def make_folder_without_classes(d: Path) -> None:
    (d / "data").mkdir()
    (d / "data" / "readme.txt").write_text("no class folders here\n")


def make_folder_without_images(d: Path) -> None:
    for cls in ("cats", "dogs"):
        (d / "data" / cls).mkdir(parents=True)
        (d / "data" / cls / "readme.txt").write_text("not an image\n")


def make_folder_of_garbage(d: Path) -> None:
    for cls in ("cats", "dogs"):
        folder = d / "data" / cls
        folder.mkdir(parents=True)
        (folder / "zero.png").write_bytes(b"")
        (folder / "bomb.png").write_bytes(png_claiming(100_000, 100_000))
        (folder / "random.jpg").write_bytes(
            np.random.default_rng(2).integers(0, 256, 900, np.uint8).tobytes()
        )


def make_folder_too_small_to_split(d: Path) -> None:
    for cls in ("cats", "dogs"):
        (d / "data" / cls).mkdir(parents=True)
        for i in range(2):
            digit_png(d / "data" / cls / f"{i}.png", value=100 + 50 * i)


def make_folder_of_good_images(d: Path) -> None:
    for cls in ("cats", "dogs"):
        (d / "data" / cls).mkdir(parents=True)
        for i in range(5):
            digit_png(d / "data" / cls / f"{i}.png", value=60 + 30 * i)


# ------------------------------------------------------------------------------------------------ IDX


def idx_header(dims: tuple[int, ...]) -> bytes:
    """An IDX header for unsigned bytes (type 0x08) of shape ``dims`` (each a big-endian uint32)."""
    return struct.pack(">BBBB", 0, 0, 0x08, len(dims)) + struct.pack(f">{len(dims)}I", *dims)


def _idx_labels(d: Path, n: int) -> None:
    (d / "labels.idx").write_bytes(idx_header((n,)) + (np.arange(n) % 10).astype(np.uint8).tobytes())


def make_idx_overflowing_dims(d: Path) -> None:
    (d / "images.idx").write_bytes(idx_header((0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF)) + bytes(64))
    _idx_labels(d, 4)


def make_idx_dims_wrapping_to_zero(d: Path) -> None:
    (d / "images.idx").write_bytes(idx_header((2**31, 2**31, 2)) + bytes(64))  # 2**63: 0 in wrapped int64
    _idx_labels(d, 4)


def make_idx_header_longer_than_file(d: Path) -> None:
    (d / "images.idx").write_bytes(idx_header((1000, 28, 28)) + bytes(10 * 28 * 28))
    _idx_labels(d, 1000)


def make_idx_extra_bytes(d: Path) -> None:
    (d / "images.idx").write_bytes(idx_header((10, 28, 28)) + bytes(11 * 28 * 28))
    _idx_labels(d, 10)


def make_idx_gzip_lying_header(d: Path) -> None:
    (d / "images.idx").write_bytes(gzip.compress(idx_header((2_000_000, 32, 32)) + bytes(5 * 32 * 32)))
    _idx_labels(d, 5)


def make_idx_zero_images(d: Path) -> None:
    (d / "images.idx").write_bytes(idx_header((0, 28, 28)))
    _idx_labels(d, 0)


def make_idx_twenty_images(d: Path) -> None:
    x = np.random.default_rng(3).integers(0, 256, (20, 28, 28), dtype=np.uint8)
    (d / "images.idx").write_bytes(idx_header(x.shape) + x.tobytes())
    _idx_labels(d, 20)


def make_idx_zero_pixel_images(d: Path) -> None:
    (d / "images.idx").write_bytes(idx_header((10, 0, 28)))
    _idx_labels(d, 10)


def make_idx_random_bytes(d: Path) -> None:
    (d / "images.idx").write_bytes(np.random.default_rng(4).integers(0, 256, 3000, np.uint8).tobytes())
    _idx_labels(d, 3)


def make_idx_count_mismatch(d: Path) -> None:
    x = np.zeros((5, 28, 28), np.uint8)
    (d / "images.idx").write_bytes(idx_header(x.shape) + x.tobytes())
    _idx_labels(d, 3)


# ---------------------------------------------------------------------------------------------- CIFAR


class MarkerPayload:
    """Unpickling this would run ``touch MARKER`` (through ``os.system``) in the current folder."""

    def __reduce__(self) -> tuple[Callable[..., Any], tuple[str]]:
        return (os.system, (f"touch {MARKER}",))


def cifar_batch(n: int, **override: Any) -> dict[bytes, Any]:
    rng = np.random.default_rng(n)
    batch: dict[bytes, Any] = {
        b"batch_label": b"training batch 1 of 5",
        b"labels": [int(v) for v in rng.integers(0, 10, n)],
        b"data": rng.integers(0, 256, (n, 3072), dtype=np.uint8),
        b"filenames": [b"img_%d.png" % i for i in range(n)],
    }
    batch.update({k.encode(): v for k, v in override.items()})
    return batch


def _cifar(d: Path, train: bytes, test: bytes | None = None) -> None:
    folder = d / "cifar-10-batches-py"
    folder.mkdir()
    (folder / "data_batch_1").write_bytes(train)
    (folder / "test_batch").write_bytes(
        test if test is not None else pickle.dumps(cifar_batch(4), protocol=2)
    )


def make_cifar_empty_batch(d: Path) -> None:
    _cifar(d, pickle.dumps(cifar_batch(0, batch_label=b""), protocol=2))  # b"" -> __builtin__.bytes()


def make_cifar_zero_byte_batch(d: Path) -> None:
    _cifar(d, b"")


def make_cifar_os_system(d: Path) -> None:
    _cifar(d, pickle.dumps(cifar_batch(2, data=MarkerPayload()), protocol=2))


def make_cifar_exec_protocol_4(d: Path) -> None:
    # builtins.exec("open('MARKER', 'w')"), written as protocol 4 opcodes (STACK_GLOBAL)
    code = f"open({MARKER!r}, 'w')".encode()
    payload = (
        b"\x80\x04\x8c\x08builtins\x94\x8c\x04exec\x94\x93\x94"
        + b"\x8c"
        + bytes([len(code)])
        + code
        + b"\x94\x85\x94R\x94."
    )
    _cifar(d, payload)


def make_cifar_numpy_huge_array(d: Path) -> None:
    # numpy.ndarray((2**40,)): a 1 TiB array from a 30-byte file
    _cifar(d, b"\x80\x02cnumpy\nndarray\n\x8a\x06\x00\x00\x00\x00\x00\x01\x85\x85R.")


def make_cifar_lying_bytes_length(d: Path) -> None:
    _cifar(d, b"\x80\x04\x8e" + (1 << 40).to_bytes(8, "little") + b"x.")  # BINBYTES8 of 2**40 bytes


def make_cifar_labels_strings(d: Path) -> None:
    _cifar(d, pickle.dumps(cifar_batch(3, labels=["cat", "dog", "cat"]), protocol=2))


def make_cifar_labels_huge(d: Path) -> None:
    _cifar(d, pickle.dumps(cifar_batch(3, labels=[1e20, 0.0, 1.0]), protocol=2))


def make_cifar_not_a_dict(d: Path) -> None:
    _cifar(d, pickle.dumps([1, 2, 3], protocol=2))


def make_cifar_float_data(d: Path) -> None:
    _cifar(d, pickle.dumps(cifar_batch(2, data=np.zeros((2, 3072))), protocol=2))


# -------------------------------------------------------------------------------------------- filters


def make_filter_png_as_npy(d: Path) -> None:
    make_one_good_image(d)
    Image.fromarray(np.eye(3, dtype=np.uint8) * 255).save(d / "edge.npy", format="PNG")


def make_filter_random_npy(d: Path) -> None:
    make_one_good_image(d)
    (d / "edge.npy").write_bytes(np.random.default_rng(5).integers(0, 256, 500, np.uint8).tobytes())


def make_filter_pickled_npy(d: Path) -> None:
    make_one_good_image(d)
    arr = np.empty((3, 3), dtype=object)
    arr[...] = MarkerPayload()
    np.save(d / "edge.npy", arr, allow_pickle=True)


def _npy(shape: tuple[int, ...], descr: str = "<f8") -> bytes:
    head = repr({"descr": descr, "fortran_order": False, "shape": shape}).encode("latin1")
    head += b" " * (64 - (10 + len(head) + 1) % 64) + b"\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(head)) + head


def make_filter_npy_lying_shape(d: Path) -> None:
    make_one_good_image(d)
    (d / "edge.npy").write_bytes(_npy((100_000, 100_000)) + bytes(72))  # 80 GB claimed


def make_filter_npy_truncated(d: Path) -> None:
    make_one_good_image(d)
    (d / "edge.npy").write_bytes(_npy((5, 5)) + bytes(80))


def make_filter_complex(d: Path) -> None:
    make_one_good_image(d)
    np.save(d / "edge.npy", np.array([[1 + 2j, 0, 0], [0, 1, 0], [0, 0, 1]]))


def make_filter_nan(d: Path) -> None:
    make_one_good_image(d)
    np.save(d / "edge.npy", np.array([[0, 1, 0], [1, np.nan, 1], [0, 1, 0]]))


def make_filter_float32_overflow(d: Path) -> None:
    make_one_good_image(d)
    (d / "edge.txt").write_text("1e39 0 0\n0 1 0\n0 0 1\n")


def make_filter_json_deep(d: Path) -> None:
    make_one_good_image(d)
    (d / "edge.json").write_text("[" * 100_000 + "]" * 100_000)


def make_filter_json_strings(d: Path) -> None:
    make_one_good_image(d)
    (d / "edge.json").write_text(json.dumps([["a", "b", "c"]] * 3))


def make_filter_huge_text(d: Path) -> None:
    make_one_good_image(d)
    (d / "edge.txt").write_text(("1 " * 50 + "\n") * 30_000)


def make_filter_json_bigint(d: Path) -> None:
    make_one_good_image(d)
    (d / "edge.json").write_text("[[" + "9" * 400 + ", 0], [0, 1]]")


# --------------------------------------------------------------------------------------------- models


def save_base_model(path: Path) -> None:
    """A small compiled model, saved by the engine itself (the file the tampering starts from)."""
    import engine
    from engine import layers, losses

    model = engine.Sequential(
        [
            layers.Conv2D(4, (3, 3), activation="relu", input_shape=(28, 28, 1)),
            layers.MaxPooling2D((2, 2)),
            layers.Flatten(),
            layers.Dense(3),
        ],
        seed=0,
    )
    model.compile("adam", losses.SparseCategoricalCrossentropy(from_logits=True), ["accuracy"])
    model.save(path, metadata={"class_names": ["a", "b", "c"]})


def tamper_model(d: Path, edit: Callable[[dict[str, Any], dict[str, np.ndarray]], None]) -> None:
    """Save the base model to ``d/model.npz``, then let ``edit(doc, arrays)`` change its JSON and arrays."""
    path = d / "model.npz"
    save_base_model(path)
    with np.load(path, allow_pickle=False) as data:
        arrays = {k: data[k] for k in data.files}
    doc = json.loads(str(arrays.pop("__convscope__")))
    edit(doc, arrays)
    text = doc if isinstance(doc, str) else json.dumps(doc)
    with open(path, "wb") as fh:
        np.savez(fh, __convscope__=np.array(text), **arrays)
    make_one_good_image(d)


def _layer(doc: dict[str, Any], i: int) -> dict[str, Any]:
    return doc["model"]["layers"][i]["config"]


def make_model_png(d: Path) -> None:
    make_one_good_image(d)
    digit_png(d / "model.npz")


def make_model_random_bytes(d: Path) -> None:
    make_one_good_image(d)
    (d / "model.npz").write_bytes(np.random.default_rng(6).integers(0, 256, 4000, np.uint8).tobytes())


def make_model_truncated(d: Path) -> None:
    save_base_model(d / "model.npz")
    data = (d / "model.npz").read_bytes()
    (d / "model.npz").write_bytes(data[: len(data) // 2])
    make_one_good_image(d)


def make_model_filters_1e9(d: Path) -> None:
    tamper_model(d, lambda doc, a: _layer(doc, 0).update(filters=1_000_000_000))


def make_model_input_shape_20000(d: Path) -> None:
    tamper_model(d, lambda doc, a: _layer(doc, 0).update(input_shape=[20000, 20000, 1]))


def make_model_units_1e12(d: Path) -> None:
    tamper_model(d, lambda doc, a: _layer(doc, 3).update(units=1_000_000_000_000))


def make_model_version_abc(d: Path) -> None:
    tamper_model(d, lambda doc, a: doc.update(version="abc"))


def make_model_no_model_key(d: Path) -> None:
    tamper_model(d, lambda doc, a: doc.pop("model"))


def make_model_slots_5(d: Path) -> None:
    tamper_model(d, lambda doc, a: doc.update(optimizer_state={"iterations": 3, "slots": 5, "per_slot": 2}))


def make_model_layer_config_string(d: Path) -> None:
    def edit(doc: dict[str, Any], arrays: dict[str, np.ndarray]) -> None:
        doc["model"]["layers"][0] = "Conv2D(4, (3, 3))"

    tamper_model(d, edit)


def make_model_nested_3000(d: Path) -> None:
    def edit(doc: dict[str, Any], arrays: dict[str, np.ndarray]) -> None:
        doc["metadata"] = {"notes": "PLACEHOLDER"}

    tamper_model(d, edit)
    # json.dumps itself refuses 3,000 levels, so the nesting is spliced into the text
    path = d / "model.npz"
    with np.load(path, allow_pickle=False) as data:
        arrays = {k: data[k] for k in data.files}
    text = str(arrays.pop("__convscope__")).replace('"PLACEHOLDER"', "[" * 3000 + "]" * 3000)
    with open(path, "wb") as fh:
        np.savez(fh, __convscope__=np.array(text), **arrays)


def make_model_nan_weights(d: Path) -> None:
    tamper_model(d, lambda doc, a: a.update(w_0000=np.full_like(a["w_0000"], np.nan)))


def make_model_complex_weights(d: Path) -> None:
    tamper_model(d, lambda doc, a: a.update(w_0002=a["w_0002"] + 1j))


def make_model_optimizer_state_wrong_shape(d: Path) -> None:
    def edit(doc: dict[str, Any], arrays: dict[str, np.ndarray]) -> None:
        doc["optimizer_state"] = {"iterations": 3, "slots": ["conv2d/kernel"], "per_slot": 2}
        arrays["opt_0000_0"] = np.zeros((5, 5), np.float32)
        arrays["opt_0000_1"] = np.zeros((5, 5), np.float32)

    tamper_model(d, edit)


def make_model_unknown_slot(d: Path) -> None:
    def edit(doc: dict[str, Any], arrays: dict[str, np.ndarray]) -> None:
        doc["optimizer_state"] = {"iterations": 3, "slots": ["no_such_layer/kernel"], "per_slot": 2}
        arrays["opt_0000_0"] = np.zeros((3, 3, 1, 4), np.float32)
        arrays["opt_0000_1"] = np.zeros((3, 3, 1, 4), np.float32)

    tamper_model(d, edit)


def make_model_pickled_entry(d: Path) -> None:
    def edit(doc: dict[str, Any], arrays: dict[str, np.ndarray]) -> None:
        bomb = np.empty(1, dtype=object)  # an object array: np.savez pickles it, with the payload inside
        bomb[0] = MarkerPayload()
        arrays["w_0000"] = bomb

    tamper_model(d, edit)


def make_good_model(d: Path) -> None:
    save_base_model(d / "model.npz")
    make_one_good_image(d)


def make_model_overflowing_weights(d: Path) -> None:
    """Finite weights (x 1e30, still float32) whose products overflow: the outputs are inf and NaN."""

    def edit(doc: dict[str, Any], arrays: dict[str, np.ndarray]) -> None:
        for name in [n for n in arrays if n.startswith("w_")]:
            arrays[name] = arrays[name] * np.float32(1e30) + np.float32(1e30)

    tamper_model(d, edit)


def make_architecture_ten_outputs(d: Path) -> None:
    """``ten.json``: a 28x28x1 architecture with 10 outputs, given to a 6-class data set."""
    from engine import zoo

    (d / "ten.json").write_text(json.dumps(zoo.build("small", (28, 28, 1), 10).get_config()))


def make_nothing(d: Path) -> None:
    """Cases that need no file (calls to the ops and the training API)."""


# ------------------------------------------------------------------------------------------- the script


def all_makers() -> dict[str, Callable[[Path], None]]:
    """Every ``make_*`` function of this module by name."""
    return {name: fn for name, fn in globals().items() if name.startswith("make_") and callable(fn)}


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python tests/corpus/make_corpus.py OUTPUT_FOLDER", file=sys.stderr)
        return 2
    out = Path(argv[0])
    for name, make in all_makers().items():
        folder = out / name.removeprefix("make_")
        folder.mkdir(parents=True, exist_ok=True)
        make(folder)
        print(folder)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
