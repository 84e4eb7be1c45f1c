"""Variables: Postman's scopes, precedence and ``{{name}}`` substitution."""

from wirecall.core.variables.resolver import Variables
from wirecall.core.variables.scopes import SCOPE_ORDER, VariableScope

__all__ = ["SCOPE_ORDER", "VariableScope", "Variables"]
