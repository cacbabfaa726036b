"""The notebooks under pytest (nbmake): ``notebooks/07-llm-coding`` talks to a scripted chat
server.

nbmake's notebook items take no fixtures, so the server is started and stopped by the
run-test hooks, for that notebook only. They live here, at the root, because a second
``conftest.py`` beside ``tests/conftest.py`` would clash with it under ``--doctest-modules``.
The server is a chat-completions server on 127.0.0.1 that
answers like a model agreeing with the rule coder (``tests/llm_chat_server.py``). Its
address and a model name reach the notebook's kernel through the environment it inherits
(``COPANALYSIS_LLM_BASE_URL``, ``COPANALYSIS_LLM_MODEL``). No model and no internet.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "tests"))

LLM_NOTEBOOK = "07-llm-coding.ipynb"
ENVIRONMENT = ("COPANALYSIS_LLM_BASE_URL", "COPANALYSIS_LLM_MODEL")
_SERVER = pytest.StashKey[tuple[Any, dict[str, str | None]]]()


def pytest_runtest_setup(item: pytest.Item) -> None:
    if Path(str(item.fspath)).name != LLM_NOTEBOOK:
        return
    from llm_chat_server import ChatServer, rule_answers

    server = ChatServer(rule_answers("value_cycles")).start()
    saved = {name: os.environ.get(name) for name in ENVIRONMENT}
    os.environ["COPANALYSIS_LLM_BASE_URL"] = server.url
    os.environ["COPANALYSIS_LLM_MODEL"] = "scripted-rules"
    item.stash[_SERVER] = (server, saved)


def pytest_runtest_teardown(item: pytest.Item) -> None:
    found = item.stash.get(_SERVER, None)
    if found is None:
        return
    server, saved = found
    server.stop()
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
