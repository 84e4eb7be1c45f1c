from collections.abc import Iterator

import pytest

from tests.fixtures import running, socket_dir


@pytest.fixture(scope="session")
def soap_server() -> Iterator[str]:
    """Base URL of the spyne demo service; WSDLs at /soap11?wsdl and /soap12?wsdl."""
    with running("soap") as server:
        yield server.url


@pytest.fixture(scope="session")
def soap_uds_server() -> Iterator[str]:
    """The same server on a Unix socket; its URL is Postman's http://unix:PATH:... form."""
    with socket_dir("wc-soap-") as folder, running("soap", "--uds", f"{folder}/soap.sock") as server:
        yield server.url
