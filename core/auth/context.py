"""Per-run auth state: what outlives one request (digest nonce counts, OAuth2 tokens).

The runner builds scheme objects per item, so anything a scheme must remember across
requests lives here. ``auth_run(...)`` opens a fresh state for one run; outside of it a
process-wide default is used (one CLI invocation is one run).
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any


@dataclass
class AuthContext:
    """``vault`` backs the opt-in OAuth2 disk cache; ``masker`` hides what schemes compute;
    ``browser(url)`` opens the OAuth2 authorization page (tests act as the browser)."""

    vault: Any = None
    masker: Any = None
    browser: Callable[[str], Any] | None = None
    state: dict[Any, Any] = field(default_factory=dict)

    def secret(self, value: str | None) -> None:
        """Register a computed credential (token, signature) so no output shows it."""
        if self.masker is not None and value:
            self.masker.register(value)


_DEFAULT = AuthContext()
_current: contextvars.ContextVar[AuthContext] = contextvars.ContextVar(
    "wirecall_auth", default=_DEFAULT
)


def current() -> AuthContext:
    return _current.get()


@contextmanager
def auth_run(
    *, vault: Any = None, masker: Any = None, browser: Callable[[str], Any] | None = None
) -> Iterator[AuthContext]:
    """Fresh auth state for one run; tasks started inside see the same state."""
    context = AuthContext(vault=vault, masker=masker, browser=browser)
    token = _current.set(context)
    try:
        yield context
    finally:
        _current.reset(token)
