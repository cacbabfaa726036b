"""Write the language-model coder's prompts and answers as a methods appendix.

:meth:`copanalysis.coding.LLMCoder.appendix` gathers what was sent and what came back;
:func:`write_llm_appendix` writes it beside the codes, as Markdown for a reader or JSON
Lines for a program.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pandas as pd

from copanalysis.errors import CopanalysisError, UnsupportedFormatError

__all__ = ["write_llm_appendix"]


def write_llm_appendix(appendix: pd.DataFrame, path: str | os.PathLike[str]) -> Path:
    """Write the prompts and answers of an LLM coding run.

    Parameters
    ----------
    appendix : DataFrame
        From :meth:`copanalysis.coding.LLMCoder.appendix`.
    path : path-like
        ``.md``: a Markdown appendix (the settings, the system prompt and worked examples
        once, then each unit's request and the model's answer); ``.jsonl``: one JSON
        object per line, the first holding the settings and the prompt, then one per unit.

    Returns
    -------
    Path
        The file written.

    Raises
    ------
    UnsupportedFormatError
        For any other suffix.
    CopanalysisError
        When ``path`` is inside ``data/raw/`` or cannot be written.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> appendix = pd.DataFrame({"doc_id": ["s1"], "field": ["practice"], "start": [0],
    ...     "end": [9], "request": ["Code this unit."], "response": ['{"codes": []}'],
    ...     "response_format": ["json_schema"], "prompt_tokens": [120],
    ...     "completion_tokens": [5], "created": ["2025-01-01T00:00:00+00:00"]})
    >>> appendix.attrs.update(messages=[{"role": "system", "content": "You code."}],
    ...     coder="llm:m@1", endpoint="http://localhost:11434/v1", model="m",
    ...     prompt_sha256="ab" * 32, settings={"temperature": 0.0, "seed": 0})
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> text = write_llm_appendix(appendix, folder / "appendix.md").read_text()
    >>> "## s1 · practice" in text, "You code." in text
    (True, True)
    >>> lines = write_llm_appendix(appendix, folder / "appendix.jsonl").read_text().splitlines()
    >>> len(lines), json.loads(lines[1])["response"]
    (2, '{"codes": []}')
    """
    from copanalysis.io.outputs import atomic_write, check_output_path

    target = check_output_path(path)
    suffix = target.suffix.lower()
    if suffix not in (".md", ".jsonl"):
        raise UnsupportedFormatError(
            f"cannot write an LLM appendix as {suffix or 'a file without suffix'}; expected "
            ".md or .jsonl",
            path=target,
        )
    text = _markdown(appendix) if suffix == ".md" else _json_lines(appendix)
    try:
        return atomic_write(target, lambda temporary: temporary.write_text(text, "utf-8"))
    except OSError as exc:
        raise CopanalysisError(f"cannot write the LLM appendix: {exc}", path=target) from exc


def _header(appendix: pd.DataFrame) -> dict[str, Any]:
    attrs = appendix.attrs
    return {
        "coder": attrs.get("coder", ""),
        "model": attrs.get("model", ""),
        "endpoint": attrs.get("endpoint", ""),
        "prompt_sha256": attrs.get("prompt_sha256", ""),
        "settings": attrs.get("settings", {}),
        "messages": attrs.get("messages", []),
    }


def _json_lines(appendix: pd.DataFrame) -> str:
    lines = [json.dumps(_header(appendix), ensure_ascii=False)]
    for record in appendix.to_dict(orient="records"):
        lines.append(json.dumps({k: _plain(v) for k, v in record.items()}, ensure_ascii=False))
    return "\n".join(lines) + "\n"


def _plain(value: Any) -> Any:
    return value.item() if hasattr(value, "item") else value


def _fence(text: str) -> str:
    """``text`` in a fenced block that its own backticks cannot close."""
    ticks = "```"
    while ticks in text:
        ticks += "`"
    return f"{ticks}\n{text}\n{ticks}"


def _markdown(appendix: pd.DataFrame) -> str:
    header = _header(appendix)
    settings = ", ".join(f"{k} {v}" for k, v in header["settings"].items())
    answered = appendix[appendix["response"].astype(str) != ""]
    out = [
        "# Coding with a language model: prompts and answers",
        "",
        f"- coder: {header['coder']}",
        f"- model: {header['model']}",
        f"- endpoint: {header['endpoint']}",
        f"- settings: {settings}",
        f"- prompt hash (SHA-256): {header['prompt_sha256']}",
        f"- units: {len(appendix)}, answered: {len(answered)}; tokens: "
        f"{int(appendix['prompt_tokens'].sum())} prompt, "
        f"{int(appendix['completion_tokens'].sum())} completion",
        "",
        "## The prompt sent before every unit",
        "",
    ]
    for message in header["messages"]:
        out += [f"### {message['role']}", "", _fence(str(message["content"])), ""]
    for row in appendix.itertuples(index=False):
        out += [
            f"## {row.doc_id} · {row.field} · characters {row.start} to {row.end}",
            "",
            "Request:",
            "",
            _fence(str(row.request)),
            "",
        ]
        if str(row.response):
            out += [
                f"Answer ({row.response_format}, {row.created}, {row.prompt_tokens} + "
                f"{row.completion_tokens} tokens):",
                "",
                _fence(str(row.response)),
                "",
            ]
        else:
            out += ["No answer (not coded yet, or the answer could not be read).", ""]
    return "\n".join(out)
