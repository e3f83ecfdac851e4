"""Every SMS method against the emulator, in-process and over a real socket, with the
validating client: the vendor's samples, every error code, and delivery on the manual clock."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from bitel_mock.app import create_app
from bitel_mock.client import (
    BatchIncompleteError,
    BitelClient,
    InvalidGatewayError,
    InvalidRequestError,
    InvalidTemplateError,
    NotFoundError,
    SmsRecord,
    SmsStatus,
    TemplateFormatError,
    TemplatePendingError,
)
from bitel_mock.settings import Settings
from bitel_mock.threaded import ThreadedServer
from bitel_mock.transport import in_process_session
from tests.conftest import TOKEN

START = 1_700_000_000
NUMBERS = ["09121234567", "09361234567"]
OTP_TEXT = "به Bitel خوش آمدید\n کد یکبار مصرف  شما: 1234Ma"


class Emulator:
    """A validating client of a fresh emulator on the manual clock, and its control plane."""

    def __init__(self, bitel: BitelClient, admin: requests.Session, url: str) -> None:
        self.bitel = bitel
        self._admin = admin
        self._url = url

    def advance(self, seconds: int) -> None:
        answer = self._admin.post(f"{self._url}/__admin/clock/advance", json={"seconds": seconds})
        answer.raise_for_status()

    def add_template(self, template_id: int, text: str, *, pending: bool) -> None:
        body = {"id": template_id, "text": text, "pending": pending}
        self._admin.post(f"{self._url}/__admin/sms/templates", json=body).raise_for_status()


@pytest.fixture(params=["in-process", "socket"])
def emulator(request: pytest.FixtureRequest) -> Iterator[Emulator]:
    app = create_app(Settings(seed=5, clock="manual", start_time=START))
    if request.param == "in-process":
        session = in_process_session(app)
        url = "http://bitel.test"
        with BitelClient(TOKEN, base_url=url, session=session, validate=True) as bitel:
            yield Emulator(bitel, session, url)
        session.close()
    else:
        with (
            ThreadedServer(app) as server,
            BitelClient(TOKEN, base_url=server.url, validate=True) as bitel,
            requests.Session() as admin,
        ):
            yield Emulator(bitel, admin, server.url)


def assert_fresh(record: SmsRecord, number: str, message: str) -> None:
    assert (record.phone_number, record.message) == (number, message)
    assert record.gateway_number == "10009909"
    assert record.status is SmsStatus.WAITING and record.status_text == "Waiting"
    assert (record.part_count, record.price, record.request_date) == (1, 0.0, START)
    assert len(record.id) == 32


def test_single(emulator: Emulator) -> None:
    record = emulator.bitel.send_sms("۰۹۱۲ ۱۲۳ ۴۵۶۷", "Hi there", gateway_number="10009909")
    assert_fresh(record, "09121234567", "Hi there")
    assert emulator.bitel.sms_status(record.id) == record


def test_batch_keeps_the_order(emulator: Emulator) -> None:
    records = emulator.bitel.send_sms_batch(NUMBERS, "Hello from Bitel!")
    for record, number in zip(records, NUMBERS, strict=True):
        assert_fresh(record, number, "Hello from Bitel!")
    assert len({r.id for r in records}) == 2


def test_p2p_pairs_each_text_with_its_number(emulator: Emulator) -> None:
    records = emulator.bitel.send_sms_p2p(NUMBERS, ["one", "two"])
    assert [(r.phone_number, r.message) for r in records] == [
        (NUMBERS[0], "one"),
        (NUMBERS[1], "two"),
    ]


def test_otp_gets_the_rendered_text(emulator: Emulator) -> None:
    record = emulator.bitel.send_otp_sms("09121234567", "Bitel", "1234Ma")
    assert_fresh(record, "09121234567", OTP_TEXT)


def test_template_1234_with_the_documented_params(emulator: Emulator) -> None:
    record = emulator.bitel.send_template_sms("09121234567", 1234, ["Bitel", "is", "awesome"])
    assert_fresh(record, "09121234567", "Truth: Bitel is awesome")


def test_batch_all_splits_250_numbers(emulator: Emulator) -> None:
    numbers = [f"0935{i:07d}" for i in range(250)]
    records = emulator.bitel.send_sms_batch_all(numbers, "hi")
    assert [r.phone_number for r in records] == numbers
    assert len({r.id for r in records}) == 250


def test_batch_all_stops_at_a_refused_batch(emulator: Emulator) -> None:
    numbers = [f"0912{i:07d}" for i in range(100)] + ["bad"] + ["09130000000"]
    with pytest.raises(BatchIncompleteError) as caught:
        emulator.bitel.send_sms_batch_all(numbers, "hi")
    assert [r.phone_number for r in caught.value.placed] == numbers[:100]
    assert caught.value.unsent == numbers[100:]
    assert isinstance(caught.value.__cause__, InvalidRequestError)


def test_messages_become_final_as_the_clock_moves(emulator: Emulator) -> None:
    long_text = "x" * 161  # two parts
    records = emulator.bitel.send_sms_batch(["09121234567", "09991000004"], long_text)
    emulator.advance(5)  # the default delivery time
    final = emulator.bitel.wait_for_final_sms([r.id for r in records], timeout=0)
    assert [r.status for r in final] == [SmsStatus.DELIVERED, SmsStatus.DELIVERY_FAILED]
    assert [(r.part_count, r.price) for r in final] == [(2, -28.0), (2, -28.0)]


@pytest.mark.parametrize(
    ("send", "cls", "code"),
    [
        (lambda b: b.send_sms("12345", "hi"), InvalidRequestError, "InvalidRequest"),
        (lambda b: b.send_sms("09121234567", ""), InvalidRequestError, "InvalidRequest"),
        (
            lambda b: b.send_sms_batch(NUMBERS, "hi", gateway_number="10007200"),
            InvalidGatewayError,
            "InvalidGateway",
        ),
        (
            lambda b: b.send_sms_p2p(NUMBERS, ["a", "b"], gateway_number="1"),
            InvalidGatewayError,
            "InvalidGateway",
        ),
        (lambda b: b.send_otp_sms("09121234567", "", "1"), InvalidRequestError, "InvalidRequest"),
        (
            lambda b: b.send_template_sms("09121234567", 4321, []),
            InvalidTemplateError,
            "InvalidTemplate",
        ),
        (
            lambda b: b.send_template_sms("09121234567", 1234, ["Bitel", "is"]),
            TemplateFormatError,
            "TemplateFormatError",
        ),
        (lambda b: b.sms_status("0" * 32), NotFoundError, "NotFound"),
    ],
)
def test_each_error_code_of_the_emulator_raises_its_class(
    emulator: Emulator, send, cls, code: str
) -> None:
    with pytest.raises(cls) as caught:
        send(emulator.bitel)
    assert caught.value.code == code


def test_a_template_pending_review_is_refused(emulator: Emulator) -> None:
    emulator.add_template(77, "Code {1}", pending=True)
    with pytest.raises(TemplatePendingError) as caught:
        emulator.bitel.send_template_sms("09121234567", 77, ["5"])
    assert caught.value.http_status == 400
