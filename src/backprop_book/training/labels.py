"""The words the book's figures draw, in each edition's language: one table, `LABELS`.

The plots (`backprop_book.training.plotting`) look every axis label, legend and title up here
with `label`, so a Korean page draws Korean words by calling the same function with
``lang="ko"``; a word that is not in the table (``"SGD"``, a code identifier) stays as it is.
"""

from __future__ import annotations

__all__ = ["LABELS", "label"]

# The words the book's plots draw, by language. English keys; the Korean words are those of the
# Korean edition's glossary (docs/ko/glossary.md): 에폭, 손실, 정확도, 훈련, 시험, 검증.
LABELS: dict[str, dict[str, str]] = {
    "en": {},  # the keys are the English words
    "ko": {
        "iteration": "반복",
        "epoch": "에폭",
        "loss": "손실",
        "accuracy": "정확도",
        "train": "훈련",
        "test": "시험",
        "validation": "검증",
        "val_loss": "검증 손실",
        "val_acc": "검증 정확도",
        "acc": "정확도",
        "mini-batch loss": "미니배치 손실",
        "test accuracy": "시험 정확도",
        "Training loss": "훈련 손실",
        "Accuracy per epoch": "에폭별 정확도",
        "Four optimizers, same batches": "네 옵티마이저, 같은 미니배치",
        "Loss per epoch": "에폭별 손실",
        "Test accuracy per epoch, by initialization": "초기화 방법별, 에폭마다의 시험 정확도",
        "Positive activations of layer 5, on a log scale": "5번째 계층의 양수 활성화 값(로그 눈금)",
        "log10(activation)": "log10(활성화 값)",
        "zeros": "모두 0",
        "symmetric": "대칭",
        "std 0.01": "표준편차 0.01",
        "iteration (dotted: end of an epoch, {n} iterations)": "반복 (점선: 에폭의 끝, {n}회 반복)",
    },
}


def label(word: str, lang: str = "en") -> str:
    """``word`` in the language ``lang`` (from `LABELS`); a word not in the table is kept.

    Examples:
        >>> label("epoch", "ko"), label("epoch"), label("Adam", "ko")
        ('에폭', 'epoch', 'Adam')
    """
    if lang not in LABELS:
        raise ValueError(f"label: lang must be one of {sorted(LABELS)}, got {lang!r}")
    return LABELS[lang].get(word, word)
