"""The on-disk cache of a language model's answers: atomic, shared, keyed by four parts."""

from __future__ import annotations

import pytest

from copanalysis.errors import CopanalysisError
from copanalysis.io.llm_cache import LLMCache, answer_key

KEY = answer_key(host="127.0.0.1:8080", model="m", prompt_sha256="p" * 64, unit_sha256="u" * 64)


def test_the_key_changes_with_each_part() -> None:
    parts = {"host": "127.0.0.1:8080", "model": "m", "prompt_sha256": "p", "unit_sha256": "u"}
    keys = {answer_key(**{**parts, name: "other"}) for name in parts}
    assert len(keys | {answer_key(**parts)}) == 5
    assert answer_key(**{**parts, "prompt_sha256": "p" * 64, "unit_sha256": "u" * 64}) == KEY


def test_answers_survive_a_new_cache_object(tmp_path) -> None:
    LLMCache(tmp_path).put(KEY, {"response": '{"codes": []}', "prompt_tokens": 3})
    assert LLMCache(tmp_path).get(KEY) == {"response": '{"codes": []}', "prompt_tokens": 3}
    assert list(LLMCache(tmp_path).keys()) == [KEY]
    assert (tmp_path / "llm" / KEY[:2] / f"{KEY}.json").is_file()
    assert not list(tmp_path.rglob("*.tmp"))


def test_a_broken_file_counts_as_missing_and_is_replaced(tmp_path) -> None:
    cache = LLMCache(tmp_path)
    cache.put(KEY, {"response": "a"})
    path = tmp_path / "llm" / KEY[:2] / f"{KEY}.json"
    path.write_text('{"response": ', encoding="utf-8")  # as a crash in another program might
    assert cache.get(KEY) is None
    cache.put(KEY, {"response": "b"})
    assert cache.get(KEY) == {"response": "b"}


def test_in_memory_without_a_folder(tmp_path) -> None:
    cache = LLMCache(None)
    cache.put(KEY, {"response": "a"})
    assert (cache.get(KEY), len(cache)) == ({"response": "a"}, 1)
    assert cache.get("0" * 64) is None


def test_a_bad_key_is_refused(tmp_path) -> None:
    with pytest.raises(ValueError, match="64 hex digits"):
        LLMCache(tmp_path).get("../../etc/passwd")


def test_an_unwritable_folder_names_the_file(tmp_path) -> None:
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the folder should be")
    with pytest.raises(CopanalysisError, match=f"{KEY}.json: cannot write the LLM cache"):
        LLMCache(blocker).put(KEY, {"response": "a"})
