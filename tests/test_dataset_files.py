"""Bad data-set files get clear errors: IDX headers that lie, empty data sets, CIFAR batches that are empty,
malformed or hostile, splits that leave nothing to test on. Each message names the file or field, what was
received and what is allowed."""

from __future__ import annotations

import gzip
import io as _io
import os
import pickle
import struct
import tarfile
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from engine import _dataset_files, config, datasets
from engine._dataset_files import restricted_loads
from engine.datasets import DatasetError


def _idx_header(dims: tuple[int, ...], dtype_code: int = 0x08) -> bytes:
    return struct.pack(">BBBB", 0, 0, dtype_code, len(dims)) + struct.pack(f">{len(dims)}I", *dims)


def _idx(arr: np.ndarray) -> bytes:
    return _idx_header(arr.shape) + arr.astype(np.uint8).tobytes()


def _pair(folder: Path, n: int, labels: np.ndarray | None = None, hw: tuple[int, int] = (4, 4)) -> str:
    x = np.random.default_rng(n).integers(0, 256, (n, *hw), dtype=np.uint8)
    y = np.arange(n, dtype=np.uint8) % 10 if labels is None else labels
    (folder / "img").write_bytes(_idx(x))
    (folder / "lab").write_bytes(_idx(y))
    return f"mnist-idx:{folder / 'img'},{folder / 'lab'}"


# ------------------------------------------------------------------------------------------------- IDX


@pytest.mark.parametrize(
    "dims",
    [
        (0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF),  # 7.9e28 bytes: overflowed int64 (negative read length)
        (2**31, 2**31, 2),  # wrapped to 0 in int64 ("cannot reshape array of size 0")
        (3_000_000, 28, 28),  # 2.35 GB: over the 2 GiB limit
    ],
)
def test_idx_header_sizes_that_overflow_are_refused(tmp_path, dims):
    path = tmp_path / "lying-idx3-ubyte"
    path.write_bytes(_idx_header(dims) + bytes(100))
    with pytest.raises(DatasetError, match=r"lying-idx3-ubyte.*header claims .*bytes.*2 GiB") as err:
        datasets.load_mnist_idx(path, path)
    assert str(dims[0]) in str(err.value).replace(",", "")


def test_idx_header_that_disagrees_with_the_file_length(tmp_path):
    path = tmp_path / "img"
    path.write_bytes(_idx_header((1000, 28, 28)) + bytes(10 * 28 * 28))
    with pytest.raises(DatasetError, match=r"img.*\(1000, 28, 28\) = 784,000 bytes.*holds 7,840"):
        datasets.load_mnist_idx(path, path)
    path.write_bytes(_idx_header((10, 28, 28)) + bytes(11 * 28 * 28))
    with pytest.raises(DatasetError, match=r"img.*784 bytes more than the header's \(10, 28, 28\)"):
        datasets.load_mnist_idx(path, path)


def test_gzipped_idx_with_a_lying_header_reads_only_what_is_there(tmp_path):
    path = tmp_path / "img.gz"
    path.write_bytes(gzip.compress(_idx_header((2_000_000, 32, 32)) + bytes(5 * 32 * 32)))
    with pytest.raises(DatasetError, match=r"img\.gz.*truncated.*2,048,000,000 bytes.*holds 5,120"):
        datasets.load_mnist_idx(path, path)


@pytest.mark.parametrize("dims", [(10, 0, 28), (10, 28, 0)])
def test_idx_images_of_zero_size_are_refused(tmp_path, dims):
    path = tmp_path / "img"
    path.write_bytes(_idx_header(dims))
    (tmp_path / "lab").write_bytes(_idx(np.zeros(10, np.uint8)))
    with pytest.raises(DatasetError, match=r"img.*images of \d+x\d+ pixels.*at least 1x1"):
        datasets.load_mnist_idx(path, tmp_path / "lab")


def test_idx_images_over_the_pixel_limit_are_refused(tmp_path):
    path = tmp_path / "img"
    path.write_bytes(_idx_header((1, 10_000, 10_000)) + bytes(16))
    with pytest.raises(DatasetError, match=r"img.*10000x10000.*max_image_pixels"):
        datasets.load_mnist_idx(path, path)


def test_idx_pair_with_zero_images(tmp_path):
    (tmp_path / "img").write_bytes(_idx_header((0, 28, 28)))
    (tmp_path / "lab").write_bytes(_idx_header((0,)))
    with pytest.raises(DatasetError, match=r"img.*holds 0 images.*at least 1"):
        datasets.load_mnist_idx(tmp_path / "img", tmp_path / "lab")
    with pytest.raises(DatasetError, match=r"holds 0 images"):  # was "need at least one array to concatenate"
        datasets.load_dataset(f"mnist-idx:{tmp_path / 'img'},{tmp_path / 'lab'}")


def test_idx_split_that_leaves_no_test_images(tmp_path):
    spec = _pair(tmp_path, 20)  # 10 classes of 2 images: 20 % of 2 rounds to 0 in every class
    with pytest.raises(DatasetError, match=r"20 images.*0 test images.*at least 3 images.*TEST_IMAGES"):
        datasets.load_dataset(spec)
    spec = _pair(tmp_path, 30)  # 3 per class: one each goes to the test set
    d = datasets.load_dataset(spec)
    assert d.x_test.shape[0] == 10 and d.x_train.shape[0] == 20


def test_idx_labels_beyond_nine_get_class_names(tmp_path):
    spec = _pair(tmp_path, 40, labels=(np.arange(40) % 4 * 5).astype(np.uint8))  # labels 0, 5, 10, 15
    d = datasets.load_dataset(spec)
    assert d.class_names == tuple(str(i) for i in range(16))
    assert int(d.y_train.max()) == 15


# ----------------------------------------------------------------------------------------------- CIFAR


def _batch(n: int, protocol: int = 2, **override) -> bytes:
    r = np.random.default_rng(n)
    payload = {
        b"batch_label": b"",  # an empty bytes object: protocol 2 writes it as a call to __builtin__.bytes
        b"labels": [int(v) for v in r.integers(0, 10, n)],
        b"data": r.integers(0, 256, (n, 3072), dtype=np.uint8),
        b"filenames": [b"f%d.png" % i for i in range(n)],
    }
    payload.update({k.encode(): v for k, v in override.items()})
    return pickle.dumps(payload, protocol=protocol)


def _cifar_folder(tmp_path: Path, train: bytes, test: bytes | None = None) -> Path:
    folder = tmp_path / "cifar-10-batches-py"
    folder.mkdir(exist_ok=True)
    (folder / "data_batch_1").write_bytes(train)
    (folder / "test_batch").write_bytes(_batch(3) if test is None else test)
    return folder


def test_cifar_batch_with_empty_bytes_from_python3_protocol_2_loads(tmp_path):
    assert b"__builtin__\nbytes" in _batch(2)  # what made the loader say "refused to unpickle"
    (xtr, ytr), (xte, _) = datasets.load_cifar10(_cifar_folder(tmp_path, _batch(4)))
    assert xtr.shape == (4, 32, 32, 3) and ytr.shape == (4,) and xte.shape == (3, 32, 32, 3)


def test_cifar_empty_batch_is_refused_with_the_count(tmp_path):
    folder = _cifar_folder(tmp_path, _batch(0))
    with pytest.raises(DatasetError, match=r"data_batch_1.*holds 0 images.*at least 1"):
        datasets.load_cifar10(folder)


def test_cifar_zero_byte_batch(tmp_path):
    folder = _cifar_folder(tmp_path, b"")
    with pytest.raises(DatasetError, match=r"data_batch_1.*empty \(0 bytes\)"):
        datasets.load_cifar10(folder)


@pytest.mark.parametrize(
    ("labels", "received"),
    [
        (["cat", "dog", "cat"], r"strings"),
        ([1e20, 0.0, 1.0], r"1e\+20"),
        ([0, 10, 3], r"10"),
        ([0, -1, 3], r"-1"),
        ([0, 1], r"2 labels"),
        ([[0], [1], [2]], r"shape \(3, 1\)"),
        ([0, None, 2], r"None|objects"),
    ],
)
def test_cifar_bad_labels_say_what_was_received(tmp_path, labels, received):
    folder = _cifar_folder(tmp_path, _batch(3, labels=labels))
    with pytest.raises(DatasetError, match=r"data_batch_1.*'labels' must be 3 integers in 0\.\.9") as err:
        datasets.load_cifar10(folder)
    assert __import__("re").search(received, str(err.value)), str(err.value)


def test_cifar_bad_data_says_what_was_received(tmp_path):
    folder = _cifar_folder(tmp_path, _batch(2, data=np.zeros((2, 3072), np.float64)))
    with pytest.raises(DatasetError, match=r"'data' must be uint8 \(N, 3072\).*float64 \(2, 3072\)"):
        datasets.load_cifar10(folder)
    folder = _cifar_folder(tmp_path, pickle.dumps([1, 2], protocol=2))
    with pytest.raises(DatasetError, match=r"a CIFAR-10 batch is a dict.*list"):
        datasets.load_cifar10(folder)


class _System:
    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def test_hostile_pickles_never_run_and_never_allocate(tmp_path):
    marker = tmp_path / "MARKER"
    hostile = {
        "os.system": pickle.dumps({b"data": _System(marker), b"labels": []}, protocol=2),
        # numpy.ndarray((2**30,))
        "ndarray called directly": b"\x80\x02cnumpy\nndarray\nJ\x00\x00\x00\x40\x85\x85R.",
        # _reconstruct(ndarray, (2**40,), b'b')
        "huge _reconstruct": (
            b"\x80\x02cnumpy.core.multiarray\n_reconstruct\ncnumpy\nndarray\n"
            b"\x8a\x06\x00\x00\x00\x00\x00\x01\x85C\x01b\x87R."
        ),
        # bytes(10**12)
        "bytes(10**12)": b"\x80\x02c__builtin__\nbytes\n\x8a\x06\x00\x10\xa5\xd4\xe8\x00\x85R.",
        # a bytes object said to be 2**40 bytes long (the C unpickler would allocate it before reading)
        "BINBYTES8 of 2**40": b"\x80\x04\x8e" + (1 << 40).to_bytes(8, "little") + b"x.",
        # memo index 2**32-1 (the C unpickler would grow its memo table to 2**33 entries)
        "LONG_BINPUT 2**32-1": b"\x80\x02K\x01r\xff\xff\xff\xff.",
        # an object-dtype array: its items would be unpickled as objects
        "object dtype": pickle.dumps(np.array([1, "a"], dtype=object), protocol=2),
    }
    for name, payload in hostile.items():
        with pytest.raises(DatasetError) as err:
            restricted_loads(payload, "evil")
        message = str(err.value)
        assert message.startswith("evil: "), (name, message)
        assert "allow_pickle" not in message
    assert not marker.exists()


def test_cifar_batch_files_larger_than_a_batch_are_refused_before_reading(tmp_path, monkeypatch):
    monkeypatch.setattr(_dataset_files, "MAX_BATCH_BYTES", 1000)
    folder = _cifar_folder(tmp_path, _batch(2))
    with pytest.raises(DatasetError, match=r"data_batch_1.*\d[\d,]* bytes.*at most 1,000"):
        datasets.load_cifar10(folder)
    archive = tmp_path / "c.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(folder, arcname="cifar-10-batches-py")
    with pytest.raises(DatasetError, match=r"c\.tar\.gz.*data_batch_1.*at most 1,000"):
        datasets.load_cifar10(archive)


def test_cifar_tar_member_that_is_a_link_is_ignored(tmp_path):
    archive = tmp_path / "c.tar"
    with tarfile.open(archive, "w") as tar:
        for name in ("data_batch_1", "test_batch"):
            info = tarfile.TarInfo(f"cifar-10-batches-py/{name}")
            info.type = tarfile.SYMTYPE
            info.linkname = "/etc/passwd"
            tar.addfile(info)
    with pytest.raises(DatasetError, match=r"expected data_batch_1 .* \(found: none\)"):
        datasets.load_cifar10(archive)


# ---------------------------------------------------------------------------------------- image folders


def _folder(root: Path, per_class: dict[str, int]) -> Path:
    for cls, n in per_class.items():
        (root / cls).mkdir(parents=True, exist_ok=True)
        for i in range(n):
            Image.fromarray(np.full((4, 4), 40 * i, np.uint8)).save(root / cls / f"{i}.png")
    return root


def test_empty_folders_are_refused_with_the_counts(tmp_path):
    (tmp_path / "none").mkdir()
    with pytest.raises(DatasetError, match=r"none.*no class sub-folders.*at least 1"):
        datasets.load_image_folder(tmp_path / "none", (4, 4))
    root = _folder(tmp_path / "empty", {"a": 0, "b": 0})
    (root / "a" / "readme.txt").write_text("not an image")
    with pytest.raises(DatasetError, match=r"empty.*0 readable images in 2 class folders.*at least 1"):
        datasets.load_image_folder(root, (4, 4))
    with pytest.raises(DatasetError, match=r"0 readable images"):
        datasets.load_dataset(str(root))


def test_folder_split_that_leaves_no_test_images(tmp_path):
    root = _folder(tmp_path / "two", {"a": 2, "b": 2})
    with pytest.raises(DatasetError, match=r"two.*4 images.*0 test images.*at least 3.*train.*test"):
        datasets.load_dataset(str(root))


def test_train_test_folders_with_an_empty_test_folder(tmp_path):
    _folder(tmp_path / "train", {"a": 3, "b": 3})
    _folder(tmp_path / "test", {"a": 0, "b": 0})
    with pytest.raises(DatasetError, match=r"test.*0 readable images"):
        datasets.load_dataset(str(tmp_path))


def test_stratified_split_of_nothing():
    with pytest.raises(ValueError, match=r"y is empty"):
        datasets.stratified_split(np.array([], np.uint8))
    with pytest.raises(ValueError, match=r"y must be 1-D.*\(2, 2\)"):
        datasets.stratified_split(np.zeros((2, 2), np.uint8))


def test_make_shapes_refuses_sizes_over_the_limits():
    with pytest.raises(ValueError, match=r"size=60000.*max_image_pixels"):
        datasets.make_shapes(2, size=60000)
    with pytest.raises(ValueError, match=r"n \* size \* size.*bytes.*2 GiB"):
        datasets.make_shapes(10**9, size=28)
    assert config.get("max_image_pixels") >= 28 * 28


def test_restricted_loads_reports_truncation_clearly():
    whole = _batch(2)
    with pytest.raises(DatasetError, match=r"cut: not a readable pickle.*truncated|cut: not a readable"):
        restricted_loads(whole[: len(whole) // 2], "cut")
    with pytest.raises(DatasetError, match=r"x: not a readable pickle"):
        restricted_loads(_io.BytesIO(b"junk").getvalue(), "x")
