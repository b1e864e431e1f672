"""The release-body sanitiser: a strict allow-list, idempotent, inert output."""

import re

import pytest

from intake.safe_html import clean_body

PAYLOADS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    '<p onclick="alert(1)" style="color:red">x</p>',
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    "<svg><script>alert(1)</script></svg>",
    "<svg onload=alert(1)><p>x</p></svg>",
    '<svg></p><style><a id="</style><img src=1 onerror=alert(1)>">',
    '<math><mtext><table><mglyph><style><!--</style><img title="--&gt;&lt;/mglyph&gt;&lt;img&Tab;src=1&Tab;onerror=alert(1)&gt;">',  # noqa: E501
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<template><script>alert(1)</script></template>",
    '<iframe src="https://evil.example"></iframe>',
    '<object data="x"></object><embed src="x">',
    '<style>@import "https://evil.example/x.css";</style>',
    "<!-- <!-- nested --> --><p>after</p>",
    "<!--><script>alert(1)</script>-->",
    '<form action="https://evil.example"><input name=x></form>',
    '<base href="https://evil.example/">',
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    "<p>text</p><div><h1>big</h1></div><table><tr><td>t</td></tr></table>",
]

DANGEROUS = re.compile(
    r"<\s*(script|svg|math|style|iframe|noscript|template|img|object|embed|form|input|"
    r"base|meta|link|h1|div|table)\b|\son\w+\s*=|javascript:|vbscript:|data:|xlink",
    re.IGNORECASE,
)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_comes_out_inert_and_stable(payload):
    cleaned = clean_body(payload)
    assert not DANGEROUS.search(cleaned), cleaned
    assert clean_body(cleaned) == cleaned


def test_allowed_markup_survives():
    source = (
        "<h2>Head</h2><h3>Sub</h3><p>A <strong>b</strong> <em>c</em><br>d</p>"
        "<ul><li>one</li></ul><ol><li>two</li></ol><blockquote>q</blockquote>"
    )
    assert clean_body(source) == source


@pytest.mark.parametrize(
    "href", ["https://example.org/a?b=c", "http://example.org", "mailto:press@example.org"]
)
def test_links_keep_safe_protocols_and_get_rel(href):
    cleaned = clean_body(f'<a href="{href}" target="_blank" rel="opener">x</a>')
    assert cleaned == f'<a href="{href.replace("&", "&amp;")}" rel="noopener noreferrer">x</a>'
    assert clean_body(cleaned) == cleaned


def test_text_is_escaped_not_interpreted():
    assert clean_body("1 < 2 & 3 > 2") == "1 &lt; 2 &amp; 3 &gt; 2"
