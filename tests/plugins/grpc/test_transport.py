"""Statuses, metadata, deadlines, limits, TLS/mTLS, Unix sockets and auth, on the real server."""

from __future__ import annotations

import base64
import json
import time
from typing import Any

import pytest
from wirecall.core.errors import (
    AuthError,
    CollectionError,
    ConnectError,
    Location,
    RequestTimeout,
)
from wirecall.core.exchange import Settings
from wirecall.plugins.grpc.handler import GrpcHandler

from .conftest import SERVER_NAME, item, send

RG = "routeguide.v1.RouteGuide"
BIG_BEN = {"latitude": 515007000, "longitude": -1246000}


def received(response: Any) -> list[dict[str, Any]]:
    return [json.loads(m.data) for m in response.messages if m.direction == "received"]


async def test_error_status_is_a_response_with_decoded_details(plain: str) -> None:
    response = await send(item(plain, f"{RG}/Fail", {"code": 5, "message": "no such route"}))
    assert (response.code, response.status, response.ok) == (5, "NOT_FOUND", False)
    assert response.extra["statusMessage"] == "no such route"
    info, bad = response.extra["details"]
    assert info == {
        "@type": "type.googleapis.com/errors.v1.ErrorInfo",
        "reason": "ASKED_TO_FAIL",
        "domain": "demo.wirecall",
        "metadata": {"code": "5"},
    }
    assert bad["fieldViolations"][0]["field"] == "code"


async def test_metadata_round_trip_with_binary_keys(plain: str) -> None:
    metadata = [
        {"key": "X-Request-Id", "value": "42"},
        {"key": "trace-bin", "value": base64.b64encode(b"\x00\xff").decode()},
        {"key": "x-off", "value": "1", "disabled": True},
    ]
    response = await send(item(plain, f"{RG}/Echo", {"message": "hi"}, metadata=metadata))
    echoed = received(response)[0]["metadata"]
    assert echoed["x-request-id"] == "42"
    assert echoed["trace-bin"] == "00ff"  # the server shows the raw bytes in hex
    assert "x-off" not in echoed
    assert ("x-echo-initial", "yes") in response.headers
    assert ("x-echo-trailer", "done") in response.trailers
    assert ("x-echo-bin", base64.b64encode(b"\x00\x01\xfe").decode()) in response.trailers
    assert response.messages[-1].fields["metadata"] == [{"key": "x-echo-initial", "value": "yes"}]


async def test_deadline_exceeded_is_a_request_timeout(plain: str) -> None:
    with pytest.raises(RequestTimeout, match="DEADLINE_EXCEEDED"):
        await send(item(plain, f"{RG}/Echo", {"delayMs": 5000}, deadlineMs=50))


async def test_run_timeout_is_the_default_deadline(plain: str) -> None:
    with pytest.raises(RequestTimeout):
        await send(item(plain, f"{RG}/Echo", {"delayMs": 5000}), Settings(timeout_request_ms=50))


async def test_max_receive_message_size(plain: str) -> None:
    response = await send(
        item(plain, f"{RG}/Echo", {"blobSize": 2000}, maxReceiveMessageBytes=1000)
    )
    assert response.status == "RESOURCE_EXHAUSTED" and not response.ok
    ok = await send(item(plain, f"{RG}/Echo", {"blobSize": 500}, maxReceiveMessageBytes=1000))
    assert ok.ok


@pytest.mark.parametrize("compression", ["gzip", "deflate"])
async def test_compressed_requests(plain: str, compression: str) -> None:
    response = await send(
        item(
            plain, f"{RG}/Echo", {"message": "x" * 1000}, compression=compression, keepaliveMs=60000
        )
    )
    assert received(response)[0]["message"] == "x" * 1000


async def test_stop_condition_ends_a_server_stream(plain: str) -> None:
    rect = {
        "lo": {"latitude": 0, "longitude": -9000000},
        "hi": {"latitude": 900000000, "longitude": 0},
    }
    response = await send(item(plain, f"{RG}/ListFeatures", rect, until={"messages": 2}))
    assert len(received(response)) == 2
    assert response.ok and response.extra["stopReason"] == "received 2 message(s)"


@pytest.mark.parametrize("until", [{"timeoutMs": 200}, {"idleMs": 200}])
async def test_stop_condition_ends_a_unary_call_waiting_for_its_reply(
    plain: str, until: dict[str, int]
) -> None:
    started = time.monotonic()
    slow = {"message": "late", "delayMs": 3000}
    response = await send(item(plain, f"{RG}/Echo", slow, until=until))
    assert time.monotonic() - started < 2
    assert response.status == "CANCELLED" and received(response) == []


async def test_each_unary_calls_timeout_applies_in_a_run_of_many(plain: str) -> None:
    """Calls of a run share one timer: a short timeout after a long one is not missed, and a
    long one after a short one is not cut short."""
    handler = GrpcHandler()

    async def call(message: dict[str, Any], timeout_ms: int) -> tuple[Any, float]:
        started = time.monotonic()
        raw = item(plain, f"{RG}/Echo", message, until={"timeoutMs": timeout_ms})
        return await send(raw, handler=handler), time.monotonic() - started

    quick, slow = {"message": "quick"}, {"message": "late", "delayMs": 3000}
    try:
        assert (await call(quick, 5000))[0].ok
        response, elapsed = await call(slow, 300)
        assert response.status == "CANCELLED" and 0.25 < elapsed < 2
        assert (await call(quick, 300))[0].ok
        response, elapsed = await call(slow, 800)
        assert response.status == "CANCELLED" and 0.75 < elapsed < 2.5
    finally:
        await handler.aclose()


async def test_message_script_can_close_the_stream(plain: str) -> None:
    async def close_after_first(message: Any) -> bool:
        return message.direction == "sent"

    rect = {
        "lo": {"latitude": 0, "longitude": -9000000},
        "hi": {"latitude": 900000000, "longitude": 0},
    }
    response = await send(item(plain, f"{RG}/ListFeatures", rect), on_message=close_after_first)
    assert len(received(response)) == 1


async def test_channels_are_kept_for_the_run(plain: str) -> None:
    handler = GrpcHandler()
    try:
        for _ in range(2):
            assert (await send(item(plain, f"{RG}/GetFeature", BIG_BEN), handler=handler)).ok
        assert handler._session is not None and len(handler._session._channels) == 1
    finally:
        await handler.aclose()


async def test_a_runs_calls_follow_each_requests_target_method_and_settings(
    plain: str, tls_server: str, certs: dict[str, str]
) -> None:
    """Variables may change an item's URL, method or messages between iterations, and the
    run's settings differ per item: each call is set up for what it is, not for the last."""
    handler = GrpcHandler()
    try:
        hello = await send(
            item(plain, "greeter.v1.Greeter/SayHello", {"name": "a"}), handler=handler
        )
        assert received(hello) == [{"message": "Hello, a!"}]
        hello = await send(
            item(plain, "greeter.v1.Greeter/SayHello", {"name": "b"}), handler=handler
        )
        assert received(hello) == [{"message": "Hello, b!"}]
        feature = await send(item(plain, f"{RG}/GetFeature", BIG_BEN), handler=handler)
        assert received(feature)[0]["name"] == "Big Ben"
        secure = item(tls_server, f"{RG}/GetFeature", BIG_BEN, authority=SERVER_NAME)
        assert (await send(secure, Settings(ca_bundle=certs["ca"]), handler=handler)).ok
        with pytest.raises(ConnectError):  # the same request without the run's CA
            await send({**secure, "deadlineMs": 5000}, handler=handler)
        assert (await send(secure, Settings(verify_tls=False), handler=handler)).ok
        with pytest.raises(CollectionError, match="has no field 'name'"):
            await send(item(plain, f"{RG}/GetFeature", {"name": "a"}), handler=handler)
    finally:
        await handler.aclose()


async def test_unix_socket(server_factory: Any, tmp_path_factory: Any) -> None:
    import tempfile

    with tempfile.TemporaryDirectory(prefix="wc-") as folder:
        url = server_factory("--uds", f"{folder}/grpc.sock").address
        assert url.startswith("unix:")
        response = await send(item(url, f"{RG}/GetFeature", BIG_BEN))
        assert received(response)[0]["name"] == "Big Ben"


async def test_unreachable_target_is_a_connect_error() -> None:
    with pytest.raises(ConnectError) as caught:
        await send(
            item(
                "grpc://127.0.0.1:9",
                f"{RG}/GetFeature",
                BIG_BEN,
                descriptors={"protoFiles": ["routeguide.proto"], "importPaths": ["proto_examples"]},
            ),
            Settings(working_dir=str(__import__("pathlib").Path(__file__).parents[3])),
        )
    assert "UNAVAILABLE" in str(caught.value) and "127.0.0.1:9" in str(caught.value)


async def test_tls_with_ca_and_server_name(tls_server: str, certs: dict[str, str]) -> None:
    assert tls_server.startswith("grpcs://")
    tls = {"ca": certs["ca"], "serverName": SERVER_NAME}
    response = await send(item(tls_server, f"{RG}/GetFeature", BIG_BEN, tls=tls))
    assert received(response)[0]["name"] == "Big Ben"


async def test_authority_override_is_the_tls_name(tls_server: str, certs: dict[str, str]) -> None:
    response = await send(
        item(
            tls_server, f"{RG}/GetFeature", BIG_BEN, authority=SERVER_NAME, tls={"ca": certs["ca"]}
        )
    )
    assert response.ok


async def test_tls_name_mismatch_is_a_connect_error(tls_server: str, certs: dict[str, str]) -> None:
    with pytest.raises(ConnectError, match="UNAVAILABLE"):
        await send(
            item(tls_server, f"{RG}/GetFeature", BIG_BEN, tls={"ca": certs["ca"]}, deadlineMs=5000)
        )


async def test_insecure_trusts_the_server_certificate(tls_server: str) -> None:
    response = await send(item(tls_server, f"{RG}/GetFeature", BIG_BEN, tls={"insecure": True}))
    assert response.ok


async def test_run_settings_supply_the_ca(tls_server: str, certs: dict[str, str]) -> None:
    response = await send(
        item(tls_server, f"{RG}/GetFeature", BIG_BEN, authority=SERVER_NAME),
        Settings(ca_bundle=certs["ca"]),
    )
    assert response.ok


async def test_mutual_tls(mtls_server: str, certs: dict[str, str]) -> None:
    tls = {
        "ca": certs["ca"],
        "cert": certs["client"],
        "key": certs["client_key"],
        "serverName": SERVER_NAME,
    }
    response = await send(item(mtls_server, f"{RG}/GetFeature", BIG_BEN, tls=tls))
    assert response.ok
    with pytest.raises(ConnectError):
        await send(
            item(
                mtls_server,
                f"{RG}/GetFeature",
                BIG_BEN,
                tls={"ca": certs["ca"], "serverName": SERVER_NAME},
                deadlineMs=5000,
            )
        )


def test_auth_goes_into_metadata() -> None:
    handler = GrpcHandler()
    request = handler.parse({"url": "grpc://h:1", "method": "a.B/C"}, Location())
    target = handler.auth_target(request)
    target.set_header("Authorization", "Bearer t")
    target.set_header("authorization", "Bearer u")
    assert request.metadata == [("authorization", "Bearer u")]
    assert target.header("AUTHORIZATION") == "Bearer u"
    with pytest.raises(AuthError, match="not supported for grpc"):
        target.set_query("key", "v")
    with pytest.raises(AuthError, match="not supported for grpc"):
        target.set_credentials("u", "p")
