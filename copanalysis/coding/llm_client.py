"""The language-model server: where it is, whether it may be called, and one call to it.

* :func:`endpoint` reads a base URL and says whether it is on this machine (``localhost``,
  ``127.0.0.1``, ``::1``); :func:`check_allowed` refuses any other host unless the
  researcher allowed it.
* :class:`ChatEndpoint` asks the server for one unit's codes through the official ``openai``
  client (any OpenAI-compatible chat-completions server: Ollama, llama.cpp, vLLM, LM Studio,
  Azure, OpenAI). The client retries 429, 5xx, timeouts and dropped connections with
  exponential backoff (honouring ``Retry-After``). The answer format is asked for as a JSON
  schema; a server that rejects that gets a JSON object request, then plain text, and the
  first format the server accepts is kept for the rest of the run. Failures that retrying
  cannot mend raise :class:`~copanalysis.errors.EndpointError`, naming the endpoint.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urlsplit

from copanalysis.errors import EndpointError, MissingExtraError

__all__ = [
    "LOCAL_HOSTS",
    "ChatEndpoint",
    "Completion",
    "ResponseFormat",
    "check_allowed",
    "endpoint",
]

#: The hosts that are this machine: texts sent there do not leave it.
LOCAL_HOSTS: frozenset[str] = frozenset({"localhost", "127.0.0.1", "::1"})

ResponseFormat = Literal["json_schema", "json_object", "text"]
#: The answer formats tried, in order.
FORMATS: tuple[ResponseFormat, ...] = ("json_schema", "json_object", "text")


def endpoint(base_url: str) -> tuple[str, bool]:
    """The host (with its port) of ``base_url``, and whether it is another machine.

    Raises
    ------
    EndpointError
        When ``base_url`` is not an http(s) URL with a host.

    Examples
    --------
    >>> endpoint("http://localhost:11434/v1")
    ('localhost:11434', False)
    >>> endpoint("http://[::1]:8080/v1")
    ('[::1]:8080', False)
    >>> endpoint("https://api.openai.com/v1")
    ('api.openai.com', True)
    """
    parts = urlsplit(str(base_url))
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise EndpointError(
            f"LLM endpoint {base_url!r} is not an http(s) URL with a host; expected "
            "something like http://localhost:11434/v1"
        )
    return parts.netloc.rsplit("@", 1)[-1], parts.hostname.lower() not in LOCAL_HOSTS


def check_allowed(base_url: str, *, allow_remote: bool) -> None:
    """Refuse an endpoint on another machine unless ``allow_remote``.

    Examples
    --------
    >>> check_allowed("http://127.0.0.1:8000/v1", allow_remote=False)
    >>> check_allowed("https://api.openai.com/v1", allow_remote=False)
    Traceback (most recent call last):
    ...
    copanalysis.errors.EndpointError: LLM endpoint https://api.openai.com/v1 is not on this machine (localhost, 127.0.0.1 or ::1): the texts would leave it. Pass allow_remote=True to LLMCoder if they may.
    """  # noqa: E501
    _, remote = endpoint(base_url)
    if remote and not allow_remote:
        raise EndpointError(
            f"LLM endpoint {base_url} is not on this machine (localhost, 127.0.0.1 or ::1): "
            "the texts would leave it. Pass allow_remote=True to LLMCoder if they may."
        )


@dataclass(frozen=True)
class Completion:
    """One answer: its text, the format it was asked in, tokens, the retries it took, and
    whether the server cut it off at the answer-length limit (``finish_reason`` "length")."""

    content: str | None
    response_format: ResponseFormat
    prompt_tokens: int
    completion_tokens: int
    retries: int
    cut_off: bool = False


class ChatEndpoint:
    """One chat-completions server, for the length of a run.

    Parameters
    ----------
    base_url : str
        The server's OpenAI-compatible base URL (``http://localhost:11434/v1``).
    model : str
        The model to ask.
    api_key : str
        Sent as the bearer token (local servers ignore it).
    schema : dict
        The JSON schema of an answer.
    temperature, seed, max_tokens
        Sampling settings sent with every request (``seed`` and ``max_tokens`` only when
        not None).
    timeout : float
        Seconds to wait for one answer.
    max_retries : int
        Retries of a request that met a 429, a 5xx, a timeout or a dropped connection.

    Raises
    ------
    MissingExtraError
        When the ``openai`` package is not installed.
    """

    def __init__(
        self,
        base_url: str,
        *,
        model: str,
        api_key: str,
        schema: dict[str, Any],
        temperature: float,
        seed: int | None,
        max_tokens: int | None,
        timeout: float,
        max_retries: int,
    ) -> None:
        try:
            import openai
        except ImportError as exc:
            raise MissingExtraError(
                "LLMCoder needs the openai package: pip install 'copanalysis[llm]'"
            ) from exc
        self.base_url = base_url
        self.model = model
        self.schema = schema
        self.temperature = temperature
        self.seed = seed
        self.max_tokens = max_tokens
        self.timeout = timeout
        self.max_retries = max_retries
        self.client = openai.OpenAI(
            base_url=base_url, api_key=api_key, timeout=timeout, max_retries=max_retries
        )
        #: the first format the server accepted; later requests start there
        self.response_format: ResponseFormat = "json_schema"
        self._lock = threading.Lock()

    def close(self) -> None:
        """Close the connections."""
        self.client.close()

    def _settings(self, response_format: ResponseFormat) -> dict[str, Any]:
        settings: dict[str, Any] = {"model": self.model, "temperature": self.temperature}
        if self.seed is not None:
            settings["seed"] = self.seed
        if self.max_tokens is not None:
            settings["max_tokens"] = self.max_tokens
        if response_format == "json_schema":
            settings["response_format"] = {
                "type": "json_schema",
                "json_schema": {"name": "codes", "strict": True, "schema": self.schema},
            }
        elif response_format == "json_object":
            settings["response_format"] = {"type": "json_object"}
        return settings

    def complete(self, messages: list[dict[str, str]], *, unit: str = "") -> Completion:
        """Ask for one answer to ``messages``.

        Parameters
        ----------
        messages : list of dict
            The chat messages.
        unit : str
            What the unit is (``doc_id/field``), for error messages.

        Raises
        ------
        EndpointError
            When the server refuses the key, does not know the model, cannot be reached or
            does not answer in time after the retries, keeps failing after them, or rejects
            the request in every answer format.
        """
        import openai

        start = self.response_format
        rejected: openai.APIStatusError | None = None
        for response_format in FORMATS[FORMATS.index(start) :]:
            try:
                raw = self.client.chat.completions.with_raw_response.create(
                    messages=messages,  # type: ignore[arg-type]
                    **self._settings(response_format),
                )
            except (openai.BadRequestError, openai.UnprocessableEntityError) as exc:
                rejected = rejected or exc  # the server may not take this answer format
                continue
            except openai.APIStatusError as exc:
                raise self._error(exc, unit) from exc
            except openai.APITimeoutError as exc:
                raise EndpointError(
                    f"LLM endpoint {self.base_url} did not answer within {self.timeout:g} s "
                    f"({self.max_retries} retries) for unit {unit}; is the model loaded? "
                    "Pass a longer timeout= to LLMCoder for a slow machine."
                ) from exc
            except openai.APIConnectionError as exc:
                raise EndpointError(
                    f"cannot connect to LLM endpoint {self.base_url} ({exc.__cause__ or exc}); "
                    "is the server running (for Ollama: ollama serve)?"
                ) from exc
            completion = raw.parse()
            if response_format != start:
                with self._lock:  # keep the format the server took for the next requests
                    if FORMATS.index(response_format) > FORMATS.index(self.response_format):
                        self.response_format = response_format
            usage = completion.usage
            choice = completion.choices[0] if completion.choices else None
            return Completion(
                content=choice.message.content if choice is not None else None,
                response_format=response_format,
                prompt_tokens=int(usage.prompt_tokens) if usage else 0,
                completion_tokens=int(usage.completion_tokens) if usage else 0,
                retries=int(getattr(raw, "retries_taken", 0)),
                cut_off=choice is not None and choice.finish_reason == "length",
            )
        assert rejected is not None
        raise EndpointError(
            f"LLM endpoint {self.base_url} rejected the request for unit {unit} in every "
            f"answer format ({', '.join(FORMATS[FORMATS.index(start) :])}): "
            f"{rejected.status_code} {_message(rejected)}"
        ) from rejected

    def _error(self, exc: Any, unit: str) -> EndpointError:
        status = exc.status_code
        if status in (401, 403):
            return EndpointError(
                f"LLM endpoint {self.base_url} refused the API key ({status} "
                f"{_message(exc)}); set OPENAI_API_KEY or pass api_key= to LLMCoder"
            )
        if status == 404:
            return EndpointError(
                f"LLM endpoint {self.base_url} has no model {self.model!r} or no "
                f"chat-completions route (404 {_message(exc)}); for Ollama: ollama pull "
                f"{self.model}"
            )
        return EndpointError(
            f"LLM endpoint {self.base_url} failed for unit {unit} after {self.max_retries} "
            f"retries: {status} {_message(exc)}"
        )


def _message(exc: Any) -> str:
    body = getattr(exc, "body", None)
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict) and inner.get("message"):
            return str(inner["message"])
        if body.get("message"):
            return str(body["message"])
    return str(getattr(exc, "message", exc))
