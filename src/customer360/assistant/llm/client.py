"""A minimal OpenAI-compatible chat completions client on the standard library."""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.request
from typing import Any

from customer360.assistant.llm.settings import LLMSettings
from customer360.errors import C360Error

Message = dict[str, str]


class LLMUnavailableError(C360Error):
    """The endpoint could not be reached, timed out, or answered with an HTTP error."""


class LLMProtocolError(LLMUnavailableError):
    """The endpoint answered, but not with a chat completion."""


class ChatClient:
    def __init__(self, settings: LLMSettings) -> None:
        self.settings = settings

    def complete(self, messages: list[Message]) -> str:
        """The assistant message content of one chat completion."""
        body = json.dumps(
            {"model": self.settings.model, "messages": messages, "temperature": 0}
        ).encode("utf-8")
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if self.settings.api_key:
            headers["Authorization"] = f"Bearer {self.settings.api_key}"
        request = urllib.request.Request(
            f"{self.settings.base_url}/chat/completions", data=body, headers=headers, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=self.settings.timeout_seconds) as response:
                payload: Any = json.loads(response.read().decode("utf-8"))
        except urllib.error.HTTPError as exc:
            raise LLMUnavailableError(f"LLM endpoint answered HTTP {exc.code}") from exc
        except TimeoutError as exc:
            raise LLMUnavailableError(
                f"LLM endpoint timed out after {self.settings.timeout_seconds:g} s"
            ) from exc
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            if isinstance(reason, TimeoutError | socket.timeout):
                raise LLMUnavailableError(
                    f"LLM endpoint timed out after {self.settings.timeout_seconds:g} s"
                ) from exc
            raise LLMUnavailableError(f"LLM endpoint unreachable: {reason}") from exc
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise LLMProtocolError("LLM endpoint did not answer with JSON") from exc
        try:
            content = payload["choices"][0]["message"]["content"]
        except (KeyError, IndexError, TypeError) as exc:
            raise LLMProtocolError("LLM response has no choices[0].message.content") from exc
        if not isinstance(content, str):
            raise LLMProtocolError("LLM message content is not text")
        return content
