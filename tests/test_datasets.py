"""engine.datasets: the shipped digits, the shapes generator, and loaders on files the tests write."""

from __future__ import annotations

import gzip
import os
import pickle
import struct
import tarfile

import numpy as np
import pytest
from PIL import Image

from engine import datasets
from engine._dataset_files import restricted_loads
from engine.datasets import DatasetError

# ------------------------------------------------------------------------------------------------ digits


def test_load_digits_split_is_stratified_fixed_and_disjoint():
    (xtr, ytr), (xte, yte) = datasets.load_digits()
    assert xtr.shape == (4000, 28, 28, 1) and xte.shape == (1000, 28, 28, 1)
    assert xtr.dtype == np.uint8 and ytr.dtype == np.uint8
    np.testing.assert_array_equal(np.bincount(ytr), [400] * 10)
    np.testing.assert_array_equal(np.bincount(yte), [100] * 10)
    (xtr2, ytr2), _ = datasets.load_digits()
    np.testing.assert_array_equal(xtr, xtr2)
    np.testing.assert_array_equal(ytr, ytr2)
    # together the two parts are exactly the shipped 5,000 images
    with np.load(datasets.config.assets_dir() / "mnist_5k.npz") as raw:
        images = raw["images"]
    seen = {x.tobytes() for x in np.concatenate([xtr, xte])[..., 0]}
    assert seen == {x.tobytes() for x in images}
    assert len({x.tobytes() for x in xtr[..., 0]} & {x.tobytes() for x in xte[..., 0]}) == 0
    # callers get copies: changing them never changes the next load
    xtr[0] = 7
    assert not np.array_equal(datasets.load_digits()[0][0][0], xtr[0])
    # shuffled: not sorted by class
    assert np.any(np.diff(ytr.astype(int)) < 0)
    assert datasets.DIGIT_CLASSES[3] == "3"


# ------------------------------------------------------------------------------------------------ shapes


def test_make_shapes_balanced_seeded_and_in_range():
    x, y = datasets.make_shapes(60, size=20, seed=5)
    assert x.shape == (60, 20, 20, 1) and x.dtype == np.uint8 and y.dtype == np.uint8
    np.testing.assert_array_equal(np.bincount(y, minlength=6), [10] * 6)
    x2, y2 = datasets.make_shapes(60, size=20, seed=5)
    np.testing.assert_array_equal(x, x2)
    np.testing.assert_array_equal(y, y2)
    x3, _ = datasets.make_shapes(60, size=20, seed=6)
    assert not np.array_equal(x, x3)
    _, y7 = datasets.make_shapes(7, classes=("vertical", "circle"))
    np.testing.assert_array_equal(np.bincount(y7), [4, 3])


def test_make_shapes_lines_lie_along_their_axis():
    x, y = datasets.make_shapes(40, size=28, classes=("horizontal", "vertical"), noise=0.0, seed=1)
    for img, label in zip(x[..., 0].astype(float), y, strict=True):
        rows = np.flatnonzero(img.sum(axis=1) > 0)
        cols = np.flatnonzero(img.sum(axis=0) > 0)
        thin, long = (rows, cols) if label == 0 else (cols, rows)
        assert thin.size <= 4, "a line is at most a few pixels thick"
        assert long.size >= 10, "and at least a third of the image long"


def test_make_shapes_noise_free_background_is_black():
    x, _ = datasets.make_shapes(12, noise=0.0, seed=2)
    for img in x[..., 0]:
        assert img.max() >= 150  # a visible stroke
        assert (img == 0).mean() > 0.6  # mostly background


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"n": 0}, "n must be"),
        ({"n": 3, "size": 4}, "size must be"),
        ({"n": 3, "classes": ("star",)}, "subset"),
        ({"n": 3, "noise": -1.0}, "noise must be"),
    ],
)
def test_make_shapes_validates(kwargs, match):
    with pytest.raises(ValueError, match=match):
        datasets.make_shapes(**kwargs)


# ------------------------------------------------------------------------------------------ image folder


def _folder(tmp_path):
    root = tmp_path / "pets"
    for k, name in enumerate(("cat", "dog")):
        (root / name).mkdir(parents=True)
        for i in range(3):
            arr = np.full((6, 8), 40 * k + i, np.uint8)
            Image.fromarray(arr).save(root / name / f"{i}.png")
    (root / "dog" / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n garbage")
    (root / "dog" / "empty.jpg").write_bytes(b"")
    (root / "cat" / "notes.txt").write_text("not an image, ignored")
    (root / "cat" / ".hidden.png").write_bytes(b"")
    return root


def test_load_image_folder_reads_classes_and_reports_bad_files(tmp_path):
    root = _folder(tmp_path)
    out = datasets.load_image_folder(root, target_size=(4, 5))
    assert out.class_names == ("cat", "dog")
    assert out.x.shape == (6, 4, 5, 1) and out.x.dtype == np.uint8
    np.testing.assert_array_equal(out.y, [0, 0, 0, 1, 1, 1])
    np.testing.assert_array_equal(out.x[:, 0, 0, 0], [0, 1, 2, 40, 41, 42])
    assert len(out.skipped) == 2
    skipped = dict(out.skipped)
    assert any(p.endswith("broken.png") for p in skipped) and any(p.endswith("empty.jpg") for p in skipped)
    assert any("empty" in why for why in skipped.values())


def test_load_image_folder_rgb_and_native_size(tmp_path):
    root = _folder(tmp_path)
    out = datasets.load_image_folder(root, None, color_mode="rgb")
    assert out.x.shape == (6, 6, 8, 3)
    Image.fromarray(np.zeros((3, 3), np.uint8)).save(root / "cat" / "small.png")
    with pytest.raises(DatasetError, match="target_size"):
        datasets.load_image_folder(root, None)


def test_load_image_folder_errors(tmp_path):
    with pytest.raises(DatasetError, match="not a folder"):
        datasets.load_image_folder(tmp_path / "missing", (4, 4))
    (tmp_path / "flat").mkdir()
    with pytest.raises(DatasetError, match="no class sub-folders"):
        datasets.load_image_folder(tmp_path / "flat", (4, 4))
    with pytest.raises(ValueError, match="color_mode"):
        datasets.load_image_folder(tmp_path, (4, 4), color_mode="cmyk")


# --------------------------------------------------------------------------------------------------- IDX


def _idx(arr: np.ndarray) -> bytes:
    head = struct.pack(">BBBB", 0, 0, 0x08, arr.ndim) + struct.pack(f">{arr.ndim}I", *arr.shape)
    return head + arr.astype(np.uint8).tobytes()


@pytest.mark.parametrize("compress", [False, True])
def test_load_mnist_idx(tmp_path, rng, compress):
    images = rng.integers(0, 256, (5, 4, 3), dtype=np.uint8)
    labels = np.array([3, 1, 4, 1, 5], np.uint8)
    wrap = gzip.compress if compress else (lambda b: b)
    (tmp_path / "img").write_bytes(wrap(_idx(images)))
    (tmp_path / "lab").write_bytes(wrap(_idx(labels)))
    x, y = datasets.load_mnist_idx(tmp_path / "img", tmp_path / "lab")
    assert x.shape == (5, 4, 3, 1) and x.dtype == np.uint8
    np.testing.assert_array_equal(x[..., 0], images)
    np.testing.assert_array_equal(y, labels)


def test_load_mnist_idx_errors(tmp_path):
    good = _idx(np.zeros((2, 3, 3), np.uint8))
    (tmp_path / "lab").write_bytes(_idx(np.zeros(3, np.uint8)))
    (tmp_path / "img").write_bytes(good)
    with pytest.raises(DatasetError, match=r"2 images but .* 3 labels"):
        datasets.load_mnist_idx(tmp_path / "img", tmp_path / "lab")
    (tmp_path / "short").write_bytes(good[:-4])
    with pytest.raises(DatasetError, match=r"short.*truncated"):
        datasets.load_mnist_idx(tmp_path / "short", tmp_path / "lab")
    (tmp_path / "text").write_bytes(b"hello world")
    with pytest.raises(DatasetError, match="not an IDX file"):
        datasets.load_mnist_idx(tmp_path / "text", tmp_path / "lab")
    with pytest.raises(DatasetError, match="3-D"):
        datasets.load_mnist_idx(tmp_path / "lab", tmp_path / "lab")
    with pytest.raises(DatasetError, match="no such file"):
        datasets.load_mnist_idx(tmp_path / "absent", tmp_path / "lab")


# ----------------------------------------------------------------------------------------------- CIFAR


def _cifar_batch(n: int, seed: int, protocol: int) -> tuple[bytes, np.ndarray, np.ndarray]:
    r = np.random.default_rng(seed)
    images = r.integers(0, 256, (n, 32, 32, 3), dtype=np.uint8)
    labels = [int(v) for v in r.integers(0, 10, n)]
    data = images.transpose(0, 3, 1, 2).reshape(n, 3072)  # CIFAR's row layout: all R, then G, then B
    payload = {
        b"batch_label": b"testing",
        b"labels": labels,
        b"data": data,
        b"filenames": [b"f%d.png" % i for i in range(n)],
    }
    return pickle.dumps(payload, protocol=protocol), images, np.array(labels, np.uint8)


@pytest.mark.parametrize("protocol", [2, 5])
def test_load_cifar10_folder(tmp_path, protocol):
    folder = tmp_path / "cifar-10-batches-py"
    folder.mkdir()
    expected = []
    for i, name in enumerate(("data_batch_1", "data_batch_2", "test_batch")):
        raw, x, y = _cifar_batch(3 + i, seed=i, protocol=protocol)
        (folder / name).write_bytes(raw)
        expected.append((x, y))
    (xtr, ytr), (xte, yte) = datasets.load_cifar10(tmp_path)  # the parent folder works too
    assert xtr.shape == (7, 32, 32, 3) and xte.shape == (5, 32, 32, 3)
    np.testing.assert_array_equal(xtr, np.concatenate([expected[0][0], expected[1][0]]))
    np.testing.assert_array_equal(ytr, np.concatenate([expected[0][1], expected[1][1]]))
    np.testing.assert_array_equal(xte, expected[2][0])
    np.testing.assert_array_equal(yte, expected[2][1])


def test_load_dataset_cifar10_spec(tmp_path):
    for name in ("data_batch_1", "test_batch"):
        (tmp_path / name).write_bytes(_cifar_batch(2, seed=3, protocol=2)[0])
    d = datasets.load_dataset(f"cifar10:{tmp_path}")
    assert d.x_train.shape == (2, 32, 32, 3) and d.class_names == datasets.CIFAR10_CLASSES


def test_load_cifar10_from_tarball(tmp_path):
    folder = tmp_path / "cifar-10-batches-py"
    folder.mkdir()
    for name in ("data_batch_1", "test_batch"):
        (folder / name).write_bytes(_cifar_batch(2, seed=9, protocol=2)[0])
    archive = tmp_path / "cifar-10-python.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(folder, arcname="cifar-10-batches-py")
    (xtr, _), (xte, _) = datasets.load_cifar10(archive)
    assert xtr.shape == (2, 32, 32, 3) and xte.shape == (2, 32, 32, 3)


class _Exploit:
    def __reduce__(self):
        return (os.system, ("touch pwned",))


def test_restricted_unpickler_refuses_code(tmp_path):
    payload = pickle.dumps({b"data": _Exploit(), b"labels": []})
    with pytest.raises(DatasetError, match=r"refused to unpickle .*system"):
        restricted_loads(payload, "evil")
    folder = tmp_path / "cifar"
    folder.mkdir()
    (folder / "data_batch_1").write_bytes(payload)
    (folder / "test_batch").write_bytes(payload)
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        with pytest.raises(DatasetError, match=r"data_batch_1.*refused"):
            datasets.load_cifar10(folder)
    finally:
        os.chdir(cwd)
    assert not (tmp_path / "pwned").exists()
    with pytest.raises(DatasetError, match=r"refused to unpickle builtins\.eval"):
        restricted_loads(b"cbuiltins\neval\n(S'1+1'\ntR.", "evil")


def test_restricted_unpickler_admits_plain_data():
    data = {b"k": [1, 2.5, b"x", "y", (1, 2)], "arr": np.arange(6, dtype=np.int16).reshape(2, 3)}
    out = restricted_loads(pickle.dumps(data, protocol=4))
    assert out[b"k"] == [1, 2.5, b"x", "y", (1, 2)]
    np.testing.assert_array_equal(out["arr"], data["arr"])
    with pytest.raises(DatasetError, match="not a readable pickle"):
        restricted_loads(b"\x80\x04garbage")


def test_load_cifar10_errors(tmp_path):
    with pytest.raises(DatasetError, match="expected data_batch_1"):
        datasets.load_cifar10(tmp_path)
    (tmp_path / "data_batch_1").write_bytes(
        pickle.dumps({b"data": np.zeros((2, 10), np.uint8), b"labels": [0, 1]})
    )
    (tmp_path / "test_batch").write_bytes(pickle.dumps([1, 2]))
    with pytest.raises(DatasetError, match=r"'data' must be uint8 \(N, 3072\)"):
        datasets.load_cifar10(tmp_path)


# ---------------------------------------------------------------------------------------------- specs


def test_load_dataset_specs(tmp_path, rng):
    d = datasets.load_dataset("digits")
    assert d.x_train.shape == (4000, 28, 28, 1) and d.class_names == datasets.DIGIT_CLASSES
    s = datasets.load_dataset("shapes", n_train=12, n_test=6)
    assert s.x_train.shape == (12, 28, 28, 1) and s.x_test.shape == (6, 28, 28, 1)
    assert s.class_names == datasets.SHAPE_CLASSES
    root = _folder(tmp_path)
    f = datasets.load_dataset(str(root), target_size=(4, 4))
    assert f.x_train.shape[0] + f.x_test.shape[0] == 6 and len(f.skipped) == 2
    assert f.class_names == ("cat", "dog") and set(f.y_test) == {0, 1}  # both classes held out
    images = rng.integers(0, 256, (10, 4, 4), dtype=np.uint8)
    labels = np.arange(10, dtype=np.uint8) % 2
    (tmp_path / "i").write_bytes(_idx(images))
    (tmp_path / "l").write_bytes(_idx(labels))
    m = datasets.load_dataset(f"mnist-idx:{tmp_path / 'i'},{tmp_path / 'l'}")
    assert m.x_train.shape == (8, 4, 4, 1) and m.x_test.shape == (2, 4, 4, 1)
    m4 = datasets.load_dataset(
        f"mnist-idx:{tmp_path / 'i'},{tmp_path / 'l'},{tmp_path / 'i'},{tmp_path / 'l'}"
    )
    assert m4.x_train.shape == (10, 4, 4, 1) and m4.x_test.shape == (10, 4, 4, 1)


def test_load_dataset_train_test_subfolders(tmp_path):
    for part in ("train", "test"):
        for name in ("a", "b"):
            (tmp_path / part / name).mkdir(parents=True)
            Image.fromarray(np.zeros((3, 3), np.uint8)).save(tmp_path / part / name / "x.png")
    d = datasets.load_dataset(str(tmp_path))
    assert d.x_train.shape == (2, 3, 3, 1) and d.x_test.shape == (2, 3, 3, 1)


@pytest.mark.parametrize(
    "spec, match",
    [
        ("nowhere", "not a folder nor one of"),
        ("mnist-idx:a", "IMAGES,LABELS"),
        ("", "dataset must be one of"),
    ],
)
def test_load_dataset_bad_specs(spec, match):
    with pytest.raises(ValueError, match=match):
        datasets.load_dataset(spec)
