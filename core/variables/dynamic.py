"""Postman's ``{{$name}}`` dynamic variables: each occurrence gets a fresh value.

The common ones are generated here from small word lists; the faker-backed rest of
Postman's 118 names fall back to a random word, so a collection using them still runs.
"""

from __future__ import annotations

import datetime as dt
import random
import string
import time
from collections.abc import Callable

from wirecall.core.ids import new_uuid

_FIRST = [
    "Ada",
    "Alan",
    "Grace",
    "Linus",
    "Margaret",
    "Dennis",
    "Barbara",
    "Ken",
    "Radia",
    "Edsger",
]
_LAST = ["Lovelace", "Turing", "Hopper", "Torvalds", "Hamilton", "Ritchie", "Liskov", "Thompson"]
_WORDS = ["alpha", "bravo", "delta", "echo", "lima", "nova", "orbit", "pixel", "quartz", "vector"]
_CITIES = ["Lisbon", "Oslo", "Austin", "Kyoto", "Nairobi", "Lima", "Perth", "Quebec"]
_COUNTRIES = [
    ("Portugal", "PT"),
    ("Norway", "NO"),
    ("Japan", "JP"),
    ("Kenya", "KE"),
    ("Peru", "PE"),
]
_COLORS = ["red", "green", "blue", "teal", "orange", "purple", "gold", "silver"]
_CURRENCIES = ["USD", "EUR", "JPY", "GBP", "CHF", "NOK"]
_COMPANIES = ["Acme", "Globex", "Initech", "Umbrella", "Hooli", "Stark"]


def _alnum(n: int) -> str:
    return "".join(random.choices(string.ascii_lowercase + string.digits, k=n))


def _date(days: int) -> str:
    moment = dt.datetime.now(dt.UTC) + dt.timedelta(days=days, seconds=random.randint(0, 86400))
    return moment.strftime("%a %b %d %Y %H:%M:%S GMT+0000 (Coordinated Universal Time)")


def _sentence() -> str:
    return " ".join(random.choices(_WORDS, k=random.randint(4, 9))).capitalize() + "."


GENERATORS: dict[str, Callable[[], str]] = {
    "$guid": new_uuid,
    "$randomUUID": new_uuid,
    "$timestamp": lambda: str(int(time.time())),
    "$isoTimestamp": lambda: (
        dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    ),
    "$randomInt": lambda: str(random.randint(0, 1000)),
    "$randomBoolean": lambda: random.choice(["true", "false"]),
    "$randomAlphaNumeric": lambda: _alnum(1),
    "$randomFirstName": lambda: random.choice(_FIRST),
    "$randomLastName": lambda: random.choice(_LAST),
    "$randomFullName": lambda: f"{random.choice(_FIRST)} {random.choice(_LAST)}",
    "$randomUserName": lambda: (
        f"{random.choice(_FIRST)}.{random.choice(_LAST)}{random.randint(1, 99)}"
    ),
    "$randomEmail": lambda: f"{random.choice(_FIRST).lower()}.{_alnum(5)}@example.com",
    "$randomExampleEmail": lambda: f"{_alnum(8)}@example.org",
    "$randomPassword": lambda: _alnum(15),
    "$randomPhoneNumber": lambda: "".join(random.choices(string.digits, k=10)),
    "$randomCity": lambda: random.choice(_CITIES),
    "$randomStreetAddress": lambda: (
        f"{random.randint(1, 9999)} {random.choice(_WORDS).title()} Street"
    ),
    "$randomCountry": lambda: random.choice(_COUNTRIES)[0],
    "$randomCountryCode": lambda: random.choice(_COUNTRIES)[1],
    "$randomCompanyName": lambda: (
        f"{random.choice(_COMPANIES)} {random.choice(['Inc', 'LLC', 'Group'])}"
    ),
    "$randomJobTitle": lambda: (
        f"{random.choice(['Lead', 'Senior', 'Chief'])} {random.choice(['Engineer', 'Designer', 'Analyst'])}"
    ),
    "$randomColor": lambda: random.choice(_COLORS),
    "$randomHexColor": lambda: "#" + "".join(random.choices("0123456789abcdef", k=6)),
    "$randomWord": lambda: random.choice(_WORDS),
    "$randomWords": lambda: " ".join(random.choices(_WORDS, k=3)),
    "$randomLoremWord": lambda: random.choice(_WORDS),
    "$randomLoremSentence": _sentence,
    "$randomLoremParagraph": lambda: " ".join(_sentence() for _ in range(3)),
    "$randomPrice": lambda: f"{random.uniform(0, 1000):.2f}",
    "$randomCurrencyCode": lambda: random.choice(_CURRENCIES),
    "$randomIP": lambda: ".".join(str(random.randint(1, 254)) for _ in range(4)),
    "$randomIPV6": lambda: ":".join(f"{random.randint(0, 65535):x}" for _ in range(8)),
    "$randomMACAddress": lambda: ":".join(f"{random.randint(0, 255):02x}" for _ in range(6)),
    "$randomUrl": lambda: f"https://{random.choice(_WORDS)}.example.com",
    "$randomDomainName": lambda: f"{random.choice(_WORDS)}.example.com",
    "$randomDatePast": lambda: _date(-random.randint(1, 365)),
    "$randomDateFuture": lambda: _date(random.randint(1, 365)),
    "$randomDateRecent": lambda: _date(-random.randint(0, 2)),
    "$randomSemver": lambda: (
        f"{random.randint(0, 9)}.{random.randint(0, 20)}.{random.randint(0, 50)}"
    ),
    "$randomLatitude": lambda: f"{random.uniform(-90, 90):.4f}",
    "$randomLongitude": lambda: f"{random.uniform(-180, 180):.4f}",
}


def generate(name: str) -> str | None:
    """A fresh value for ``$name``; unknown ``$random*`` names get a random word; else None."""
    generator = GENERATORS.get(name)
    if generator is not None:
        return generator()
    if name.startswith("$random"):
        return random.choice(_WORDS)
    return None
