"""A chat-completions server on 127.0.0.1 with scripted answers, for the LLM coder's tests.

It speaks the part of the OpenAI chat-completions protocol the coder uses (``POST
/v1/chat/completions``), in a thread, and keeps every request body it received. Each answer
comes from a script: a list of :class:`Reply` values handed out in order, or a function of
the request. No model, no internet.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

#: The unit's text as the prompt template writes it (copanalysis/templates/llm-unit-*.j2).
UNIT_TEXT = re.compile(r"<text>\n(.*)\n</text>\s*\Z", re.DOTALL)


@dataclass
class Reply:
    """One scripted answer.

    ``content`` becomes the assistant message of a 200 answer (``finish_reason``
    "length" when the server cut it off at ``max_tokens``); ``status`` other than 200
    sends ``{"error": {"message": error}}``; ``delay`` seconds pass before the answer.
    """

    content: str | None = None
    status: int = 200
    error: str = ""
    delay: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)
    prompt_tokens: int = 100
    completion_tokens: int = 20
    finish_reason: str = "stop"


def codes_reply(*codes: tuple[str, str, int, str], **kwargs: Any) -> Reply:
    """A 200 answer in the coder's schema: ``(code, quote, polarity, reason)`` tuples."""
    body = {"codes": [{"code": c, "quote": q, "polarity": p, "reason": r} for c, q, p, r in codes]}
    return Reply(json.dumps(body), **kwargs)


def unit_text(request: dict[str, Any]) -> str:
    """The text of the unit a request asks to code (its last user message)."""
    found = UNIT_TEXT.search(request["messages"][-1]["content"])
    assert found is not None, "the unit message has no <text> block"
    return found.group(1)


Script = Iterable[Reply] | Callable[[dict[str, Any]], Reply]


class ChatServer:
    """Serve scripted chat completions on 127.0.0.1 (a free port) until :meth:`stop`.

    Attributes
    ----------
    url : str
        The base URL to give the coder (``http://127.0.0.1:<port>/v1``).
    requests : list of dict
        Every request body received, in order (failed ones included).
    """

    def __init__(self, script: Script) -> None:
        self._next: Callable[[dict[str, Any]], Reply]
        if callable(script):
            self._next = script
        else:
            queue = list(script)

            def pop(_: dict[str, Any]) -> Reply:
                assert queue, "the server got more requests than the script has answers"
                return queue.pop(0)

            self._next = pop
        self.requests: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (the http.server API)
                length = int(self.headers.get("Content-Length", 0))
                body = json.loads(self.rfile.read(length) or b"{}")
                with server._lock:
                    server.requests.append(body)
                    reply = server._next(body)
                if reply.delay:
                    time.sleep(reply.delay)
                if not self.path.endswith("/chat/completions"):
                    reply = Reply(status=404, error=f"no route {self.path}")
                if reply.status == 200:
                    payload = _completion(body, reply)
                else:
                    payload = {"error": {"message": reply.error or "scripted error"}}
                data = json.dumps(payload).encode()
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    for key, value in reply.headers.items():
                        self.send_header(key, value)
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting (a timeout test)

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass

        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request: Any, client_address: Any) -> None:
                pass  # a client that timed out closed its socket; nothing to report

        self._server = Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/v1"
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    def start(self) -> ChatServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> ChatServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _completion(request: dict[str, Any], reply: Reply) -> dict[str, Any]:
    return {
        "id": "chatcmpl-scripted",
        "object": "chat.completion",
        "created": 0,
        "model": request.get("model", ""),
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": reply.content},
                "finish_reason": reply.finish_reason,
            }
        ],
        "usage": {
            "prompt_tokens": reply.prompt_tokens,
            "completion_tokens": reply.completion_tokens,
            "total_tokens": reply.prompt_tokens + reply.completion_tokens,
        },
    }


def rule_answers(codebook: str = "value_cycles") -> Callable[[dict[str, Any]], Reply]:
    """A script that answers like a model that agrees with the rule coder: each sentence the
    rules code is quoted with its code, and the cue is the reason. For the notebook."""
    import pandas as pd

    from copanalysis.coding.rules import RuleCoder

    coder = RuleCoder(codebook, unit="sentence").fit()
    lock = threading.Lock()

    def answer(request: dict[str, Any]) -> Reply:
        text = unit_text(request)
        with lock:  # one spaCy pipeline, used by one request at a time
            codes = coder.code(pd.DataFrame({"doc_id": ["u"], "text": [text]}), progress=False)
        found = [
            (str(c), str(q), int(p), str(e))
            for c, q, p, e in zip(
                codes["code"], codes["quote"], codes["polarity"], codes["evidence"], strict=True
            )
        ]
        return codes_reply(*found)

    return answer
