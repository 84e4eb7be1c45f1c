"""NTLM against a real acceptor (pyspnego's NTLM server, per connection, as IIS does)."""

from wirecall.core.auth.context import auth_run
from wirecall.core.auth.ntlm import Ntlm

from tests.core.auth.authwire import send

PARAMS = {"username": "alice", "password": "wonderland", "domain": "CORP"}


async def test_ntlm_handshake_authenticates(auth_server: str) -> None:
    with auth_run():
        response = await send(Ntlm(), PARAMS, "GET", f"{auth_server}/ntlm")
    assert response.status_code == 200
    assert response.json()["user"].lower() == "corp\\alice"


async def test_wrong_password_is_refused_after_one_answer(auth_server: str) -> None:
    with auth_run():
        response = await send(Ntlm(), {**PARAMS, "password": "nope"}, "GET", f"{auth_server}/ntlm")
    assert response.status_code == 401 and response.json()["error"].startswith("NTLM refused")


async def test_disable_retry_request_leaves_the_challenge(auth_server: str) -> None:
    with auth_run():
        response = await send(Ntlm(), {**PARAMS, "disableRetryRequest": True}, "GET", f"{auth_server}/ntlm")
    assert response.status_code == 401 and response.headers["www-authenticate"].startswith("NTLM ")


def test_ntlm_in_a_collection_run(auth_server: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import json

    from tests.clirun import run_cli
    from tests.docs_examples import write_collection

    auth = {"type": "ntlm", "ntlm": [{"key": k, "value": v} for k, v in PARAMS.items()]}
    item = {"name": "ntlm", "request": {"method": "GET", "url": f"{auth_server}/ntlm", "auth": auth},
            "event": [{"listen": "test", "script": {"exec": ["pm.test('in', () => pm.response.to.have.status(200));"]}}]}  # fmt: skip
    report = tmp_path / "r.json"
    result = run_cli("run", str(write_collection(tmp_path, item)), "-r", "cli,json", "--reporter-json-export", str(report))
    assert result.code == 0, result.out
    assert "wonderland" not in result.out + report.read_text()
    assert json.loads(report.read_text())["run"]["stats"]["assertions"]["failed"] == 0
