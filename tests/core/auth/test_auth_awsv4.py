"""AWS SigV4: the published aws-sig-v4-test-suite / AWS docs examples, then a real verifier."""

import pytest
from wirecall.core.auth.awsv4 import AwsV4

from tests.core.auth.authwire import WireTarget, send

SUITE = {
    "accessKey": "AKIDEXAMPLE",
    "secretKey": "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
    "region": "us-east-1",
    "service": "service",
}
PREFIX = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "


@pytest.mark.parametrize(
    ("case", "method", "url", "headers", "body", "expected"),
    [
        (
            "get-vanilla",
            "GET",
            "https://example.amazonaws.com/",
            {},
            b"",
            "SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
        ),
        (
            "get-vanilla-query-order-key-case",
            "GET",
            "https://example.amazonaws.com/?Param2=value2&Param1=value1",
            {},
            b"",
            "SignedHeaders=host;x-amz-date, Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500",
        ),
        (
            "post-vanilla",
            "POST",
            "https://example.amazonaws.com/",
            {},
            b"",
            "SignedHeaders=host;x-amz-date, Signature=5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b",
        ),
        (
            "post-x-www-form-urlencoded",
            "POST",
            "https://example.amazonaws.com/",
            {"Content-Type": "application/x-www-form-urlencoded"},
            b"Param1=value1",
            (
                "SignedHeaders=content-type;host;x-amz-date, "
                "Signature=ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a"
            ),
        ),
    ],
)
async def test_aws_sig_v4_test_suite(case, method, url, headers, body, expected):
    target = WireTarget(method, url, {"X-Amz-Date": "20150830T123600Z", **headers}, body)
    await AwsV4().sign(SUITE, target)
    assert target.headers["Authorization"] == PREFIX + expected


async def test_aws_docs_iam_list_users_example():
    target = WireTarget(
        "GET",
        "https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08",
        {
            "X-Amz-Date": "20150830T123600Z",
            "Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
        },
    )
    await AwsV4().sign({**SUITE, "service": "iam"}, target)
    assert target.headers["Authorization"].endswith(
        "Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7"
    )


async def test_aws_docs_s3_presigned_url_example():
    target = WireTarget("GET", "https://examplebucket.s3.amazonaws.com/test.txt")
    await AwsV4().sign(
        {
            "accessKey": "AKIAIOSFODNN7EXAMPLE",
            "secretKey": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            "service": "s3",
            "timestamp": "20130524T000000Z",
            "addAuthDataToQuery": True,
        },
        target,
    )
    assert target.url.endswith(
        "X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"
    )


@pytest.mark.parametrize("in_query", [False, True])
async def test_the_server_verifies_header_and_query_signing_with_a_session_token(
    auth_server, in_query
):
    params = {**SUITE, "sessionToken": "SESSION/TOKEN+1", "addAuthDataToQuery": in_query}
    response = await send(
        AwsV4(),
        params,
        "POST",
        auth_server + "/aws/a%20b/?z=1&a=%2F",
        {"Content-Type": "application/json"},
        b'{"x": 1}',
    )
    assert response.status_code == 200, response.text
    assert response.json()["session_token"] == "SESSION/TOKEN+1"
    assert "content-type" in response.json()["signed_headers"]


async def test_a_wrong_secret_is_refused_by_the_server(auth_server):
    response = await send(AwsV4(), {**SUITE, "secretKey": "wrong"}, "GET", auth_server + "/aws")
    assert response.status_code == 401
