"""Unreadable input is refused with 400; names and text are normalised."""

import pytest
from flask import request

from intake.input_hygiene import clean_name, normalise_text, readable
from tests.support.tokens import csrf_token

# --- Pure helpers -------------------------------------------------------------


def test_normalise_text_composes_and_strips():
    assert normalise_text("  Jose\u0301 \n") == "José"
    assert normalise_text("José") == normalise_text("Jose\u0301")
    assert normalise_text(None) is None  # a field not sent: no answer invented
    assert normalise_text("line one\nline two") == "line one\nline two"


@pytest.mark.parametrize(
    ("typed", "clean"),
    [
        ("Ana\u202e lirpA", "Ana lirpA"),  # right-to-left override
        ("\u2067Maria\u2069 Lopez", "Maria Lopez"),  # isolates
        ("\u202aA\u202b\u202c\u202dB", "AB"),  # embeddings
        ("Jo\u200bhn", "John"),  # zero-width space
        (
            "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",
            "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",
        ),  # ZWNJ kept (Persian)
        ("\ufeffAmir\u2060", "Amir"),  # byte-order mark, word joiner
        ("Ali\u00ad\u061cHassan", "AliHassan"),  # soft hyphen, Arabic letter mark (Cf)
        ("  Nadia \t\n  Karimi\u00a0 ", "Nadia Karimi"),  # whitespace collapsed
        ("Ren\u0065\u0301e\x07", "Renée"),  # NFC, control removed
        ("\ud800Lone", "Lone"),  # lone surrogate
        ("محمد علی", "محمد علی"),  # right-to-left script itself is kept
        ("Đặng Thị", "Đặng Thị"),
    ],
)
def test_clean_name(typed, clean):
    assert clean_name(typed) == clean


def test_clean_name_of_nothing():
    assert clean_name(None) == "" and clean_name("\u200b \u202e") == ""


@pytest.mark.parametrize(
    ("raw", "ok"),
    [
        (b"name=Jos%C3%A9", True),
        (b"name=Jos\xc3\xa9", True),
        (b"name=a+b", True),
        (b"name=%00", False),
        (b"name=a\x00", False),
        (b"name=%ED%A0%80", False),  # a lone surrogate, UTF-8 encoded
        (b"name=%FF", False),
        (b"name=\xff", False),
        (b"name=%C3", False),  # truncated sequence
    ],
)
def test_readable(raw, ok):
    assert readable(raw) is ok


# --- Requests -----------------------------------------------------------------


@pytest.fixture
def echo_app(app_factory):
    test_app = app_factory()

    @test_app.route("/test/echo", methods=["GET", "POST"])
    def echo():
        return {"args": request.args, "form": request.form}

    return test_app


def post_form(client, body: bytes, content_type="application/x-www-form-urlencoded"):
    token = csrf_token(client.get("/test/form").get_data(as_text=True))
    return client.post(
        "/test/echo",
        data=b"csrf_token=" + token.encode() + b"&" + body,
        content_type=content_type,
    )


@pytest.fixture
def echo_client(echo_app):
    @echo_app.get("/test/form")
    def form():
        from flask_wtf.csrf import generate_csrf

        return f'<input name="csrf_token" value="{generate_csrf()}">'

    return echo_app.test_client()


BAD = [b"%00", b"%ED%A0%80", b"%FF", b"\xff\xfe", b"a\x00b", b"%C0%AF"]


def assert_refused(response):
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "We could not read what you sent" in page
    assert "Nothing was saved" in page
    assert response.headers["Content-Security-Policy"]


def raw_query(query: bytes) -> dict:
    """The query string exactly as bytes on the wire (WSGI carries it as latin-1)."""
    return {"environ_overrides": {"QUERY_STRING": query.decode("latin-1")}}


@pytest.mark.parametrize("bad", BAD)
def test_bad_query_string_is_400(echo_client, bad):
    assert_refused(echo_client.get("/test/echo", **raw_query(b"name=" + bad)))
    assert_refused(echo_client.get("/help", **raw_query(b"x=" + bad)))


@pytest.mark.parametrize("bad", BAD)
def test_bad_form_body_is_400(echo_client, bad):
    assert_refused(post_form(echo_client, b"name=" + bad))


def test_bad_bytes_in_a_multipart_form_are_400(echo_client):
    token = csrf_token(echo_client.get("/test/form").get_data(as_text=True))
    response = echo_client.post(
        "/test/echo",
        data={"csrf_token": token, "name": "a\x00b"},
        content_type="multipart/form-data",
    )
    assert_refused(response)


def test_nul_in_the_path_is_400(echo_client):
    assert_refused(echo_client.get("/press/a%00b"))


def test_good_unicode_passes_untouched(echo_client):
    response = post_form(echo_client, b"name=Jos%C3%A9+%D9%85%D8%AD%D9%85%D8%AF&x=%25_")
    assert response.status_code == 200
    assert response.json["form"]["name"] == "José محمد"
    assert response.json["form"]["x"] == "%_"
    got = echo_client.get("/test/echo", query_string={"q": "naïve 中文 %00 literal"})
    assert got.status_code == 200 and got.json["args"]["q"] == "naïve 中文 %00 literal"
