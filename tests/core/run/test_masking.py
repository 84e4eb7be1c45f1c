"""The Masker hides a secret in every form it takes on the way to an output."""

from __future__ import annotations

import base64
import json
from urllib.parse import quote, urlencode

from wirecall.core.masking import MASK, Masker

SECRET = 'pa ss/"wörd"+&='


def masker(*secrets: str) -> Masker:
    m = Masker()
    for secret in secrets:
        m.register(secret)
    return m


def test_as_written_in_a_url_and_in_json():
    m = masker(SECRET)
    assert m.mask(f"x {SECRET} y") == f"x {MASK} y"
    assert SECRET not in m.mask(json.dumps({"v": SECRET}))
    assert m.mask("https://h/?v=" + quote(SECRET, safe="")) == f"https://h/?v={MASK}"
    assert m.mask("https://h/?" + urlencode({"v": SECRET})) == f"https://h/?v={MASK}"
    assert m.mask(json.dumps({"v": SECRET}, ensure_ascii=True)) == json.dumps({"v": MASK})


def test_response_bytes_in_a_report_are_masked_as_bytes():
    body = f'{{"echo": "{SECRET}"}}'.encode()
    report = {"stream": {"type": "Buffer", "data": list(body)}, "other": [1, 2, 3]}
    masked = masker(SECRET).mask_tree(report)
    assert bytes(masked["stream"]["data"]) == f'{{"echo": "{MASK}"}}'.encode()
    assert masked["other"] == [1, 2, 3]


def test_short_values_are_not_secrets_and_longer_secrets_win():
    m = masker("ab", "token", "token-long")
    assert m.mask("ab token token-long") == f"ab {MASK} {MASK}"
    assert not Masker() and m


def test_a_registered_encoded_credential_is_masked():
    basic = base64.b64encode(b"alice:pw-123").decode()
    assert masker(basic).mask(f"Authorization: Basic {basic}") == f"Authorization: Basic {MASK}"
