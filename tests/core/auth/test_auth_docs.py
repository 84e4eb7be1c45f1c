"""docs/auth.md's collection, run item by item against the test server with vault secrets."""

import base64
import json
import os
import re
from pathlib import Path

from wirecall.core.auth.context import auth_run
from wirecall.core.auth.inherit import auth_params, effective_auth
from wirecall.core.masking import Masker
from wirecall.core.plugins import PluginHost
from wirecall.core.variables import Variables, VariableScope
from wirecall.core.vault import Vault
from wirecall.core.vault.keys import from_text

from tests.core.auth.authwire import send

DOC = Path(__file__).resolve().parents[3] / "docs" / "auth.md"


def requests(node, chain):
    """(name, request, auth chain request-first) for every request in a raw collection tree."""
    for item in node.get("item", []):
        if "item" in item:
            yield from requests(item, [item.get("auth"), *chain])
        else:
            yield item["name"], item["request"], [item["request"].get("auth"), *chain]


async def test_the_documented_collection_authenticates_every_request(auth_server, tmp_path):
    collection = json.loads(re.search(r"```json\n(.*?)```", DOC.read_text(), re.DOTALL).group(1))
    vault = Vault(
        tmp_path / "vault.bin", key=from_text(base64.b64encode(os.urandom(32)).decode(), "test")
    )
    vault.update({"client_secret": "s3cret", "legacy_password": "wonderland"})
    masker = Masker()
    vault.masker = masker
    variables = Variables(
        environment=VariableScope("environment", {"baseUrl": auth_server}),
        vault=vault,
        on_secret=masker.register,
    )
    schemes = PluginHost(load_entry_points=False).auth_schemes
    seen = {}
    with auth_run(masker=masker, vault=vault):
        for name, request, chain in requests(collection, [collection.get("auth")]):
            block = effective_auth(chain)
            url = variables.resolve(request["url"])
            if block is None:
                response = await send(schemes["noauth"](), {}, request["method"], url)
                assert "authorization" not in response.json()["headers"]
            else:
                response = await send(
                    schemes[block["type"]](),
                    variables.resolve_tree(auth_params(block)),
                    request["method"],
                    url,
                )
            seen[name] = (block or {}).get("type", "none"), response.status_code
    assert seen == {
        "Profile": ("oauth2", 200),
        "Report": ("digest", 200),
        "Health": ("none", 200),
        "Signed": ("hawk", 200),
    }
    assert masker.mask("secret s3cret and wonderland") == "secret ******** and ********"
