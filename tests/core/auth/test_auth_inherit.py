"""Which auth block applies (request -> folder -> collection) and its parameters as a dict."""

import pytest
from wirecall.core.auth.inherit import auth_params, effective_auth
from wirecall.core.errors import AuthError

BASIC = {"type": "basic", "basic": [{"key": "username", "value": "alice", "type": "string"}]}
BEARER = {"type": "bearer", "bearer": [{"key": "token", "value": "t0k", "type": "string"}]}


def test_the_closest_block_wins_and_missing_or_inherit_ask_the_parent():
    assert effective_auth([BEARER, None, BASIC]) == BEARER
    assert effective_auth([None, {"type": "inherit"}, BASIC]) == BASIC


def test_noauth_stops_inheritance_and_nothing_means_no_auth():
    assert effective_auth([None, {"type": "noauth"}, BASIC]) is None
    assert effective_auth([None, None]) is None


def test_params_from_v21_lists_and_v20_objects():
    assert auth_params(BASIC) == {"username": "alice"}
    assert auth_params({"type": "basic", "basic": {"username": "bob", "password": "pw"}}) == {
        "username": "bob",
        "password": "pw",
    }
    assert auth_params({"type": "noauth"}) == {}


def test_a_malformed_parameter_list_names_the_type():
    with pytest.raises(AuthError, match=r"basic auth: parameter #0 must be an object with a 'key'"):
        auth_params({"type": "basic", "basic": ["username"]})
