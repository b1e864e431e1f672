"""Left-to-right tokens in right-to-left letters.

Inside an Arabic or Dari sentence the Unicode bidi algorithm turns digits that
follow Arabic letters into Arabic numbers (UAX #9 rule W2), so a reference such
as "2664-4D7W-2H" is drawn "2H-4D7W-2664", and a phone number's groups come out
in reverse; an applicant who types what they read into /status gets "not
found". Each such token (the case's reference, URLs, emails, phone numbers) is
wrapped in a left-to-right isolate, U+2066 … U+2069, which browsers, mail
readers and fpdf2's bidi (fpdf/bidi.py, rules X5a-X6a) all honour; the PDF
draws no glyph for them (``intake.letters.pdf``).

Staff edit a letter before it is sent, and the isolates are invisible in the
box, so one may be deleted or another bidi control typed or pasted in (a
Trojan-Source U+202E would reorder the rest of the line). So the text sent is
rebuilt the same way: every embedding, override and isolate removed, then the
tokens isolated again. Letters in left-to-right languages get no isolates
(their tokens are already in order; old plain-text mail readers may draw the
controls as boxes), but lose any stray control too.
"""

import re

from intake import locales
from intake.input_hygiene import BIDI_CONTROLS

LRI = "\u2066"  # LEFT-TO-RIGHT ISOLATE
PDI = "\u2069"  # POP DIRECTIONAL ISOLATE
# Left-to-right tokens a letter may hold, after the case's own reference.
URL = r"https?://[^\s\u2066-\u2069]*[^\s\u2066-\u2069.,;:!?)\]»]"
EMAIL = r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"
PHONE = r"\+?\(?[0-9][0-9 ().-]{5,}[0-9]"
_CONTROLS = re.compile("[" + "".join(sorted(BIDI_CONTROLS)) + "]")


def without_controls(text: str | None) -> str | None:
    """The text with no bidi embedding, override or isolate left in it (a
    form filter: None, a field not sent, stays None)."""
    return _CONTROLS.sub("", text) if text else text


def isolated(text: str, language: str, reference: str) -> str:
    """The letter's text with stray bidi controls removed and, in a
    right-to-left language, each left-to-right token (``reference``, as
    formatted in the letter, first) wrapped in LRI … PDI."""
    text = without_controls(text)
    if language not in locales.KNOWN or not locales.KNOWN[language].rtl:
        return text
    token = re.compile("|".join([re.escape(reference), URL, EMAIL, PHONE]))
    return token.sub(lambda found: LRI + found.group() + PDI, text)
