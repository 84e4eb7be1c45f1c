"""The encrypted secret store behind ``{{vault:name}}``, ``pm.vault`` and ``wirecall vault``."""

from wirecall.core.vault.vault import Vault, default_path

__all__ = ["Vault", "default_path"]
