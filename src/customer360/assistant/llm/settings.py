"""Settings of the optional LLM backend, read from the environment in one place."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from customer360.errors import UsageError

# The longest wait for one LLM answer; beyond it the socket layer rejects the value.
MAX_TIMEOUT_SECONDS = 3600.0
DEFAULT_TIMEOUT_SECONDS = 20.0


@dataclass(frozen=True)
class LLMSettings:
    """An OpenAI-compatible chat completions endpoint (`POST {base_url}/chat/completions`)."""

    base_url: str
    model: str
    api_key: str | None = None
    timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS

    @property
    def label(self) -> str:
        return f"LLM: {self.model}"

    def __repr__(self) -> str:  # keep the key out of logs and tracebacks
        return f"LLMSettings(base_url={self.base_url!r}, model={self.model!r})"

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> LLMSettings | None:
        """`C360_LLM_BASE_URL` (+ `C360_LLM_MODEL`, `C360_LLM_API_KEY`, `C360_LLM_TIMEOUT`).

        None when no base URL is set: the assistant then stays deterministic and offline.
        """
        base_url = env.get("C360_LLM_BASE_URL", "").strip()
        if not base_url:
            return None
        if not base_url.startswith(("http://", "https://")):
            raise UsageError(f"C360_LLM_BASE_URL must be an http(s) URL, got {base_url!r}")
        model = env.get("C360_LLM_MODEL", "").strip()
        if not model:
            raise UsageError("C360_LLM_MODEL must be set when C360_LLM_BASE_URL is set")
        raw_timeout = env.get("C360_LLM_TIMEOUT", "").strip()
        try:
            timeout = float(raw_timeout) if raw_timeout else DEFAULT_TIMEOUT_SECONDS
        except ValueError as exc:
            raise UsageError(f"C360_LLM_TIMEOUT must be seconds, got {raw_timeout!r}") from exc
        # `not a < t <= b` also refuses NaN; an infinite or huge timeout overflows the socket layer.
        if not 0 < timeout <= MAX_TIMEOUT_SECONDS:
            raise UsageError(
                f"C360_LLM_TIMEOUT={raw_timeout} is not a usable timeout; set it to seconds above "
                f"0 and at most {MAX_TIMEOUT_SECONDS:g} (or unset it for the default)"
            )
        return cls(
            base_url=base_url.rstrip("/"),
            model=model,
            api_key=env.get("C360_LLM_API_KEY") or None,
            timeout_seconds=timeout,
        )
