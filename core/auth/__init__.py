"""Built-in auth schemes, registered through ``wirecall_auth_schemes`` like any plugin's."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from wirecall.core.hookspecs import hookimpl


@hookimpl
def wirecall_auth_schemes() -> Iterable[type[Any]]:
    from wirecall.core.auth.apikey import ApiKey
    from wirecall.core.auth.awsv4 import AwsV4
    from wirecall.core.auth.basic import Basic
    from wirecall.core.auth.bearer import Bearer
    from wirecall.core.auth.digest import Digest
    from wirecall.core.auth.hawk import Hawk
    from wirecall.core.auth.jwt import Jwt
    from wirecall.core.auth.noauth import NoAuth
    from wirecall.core.auth.ntlm import Ntlm
    from wirecall.core.auth.oauth1 import OAuth1
    from wirecall.core.auth.oauth2 import OAuth2

    return [NoAuth, Basic, Bearer, ApiKey, Digest, OAuth1, OAuth2, AwsV4, Hawk, Jwt, Ntlm]
