"""A letter as a PDF, with no browser on the server: fpdf2 (pure Python, kept
up to date by the py-pdf project) with its HarfBuzz text shaping (uharfbuzz),
so Arabic and Dari are laid out right to left with their letters joined.

Fonts come from Debian packages, not the repository: DejaVu Sans
(fonts-dejavu-core: Latin, Cyrillic, Arabic script) and WenQuanYi Micro Hei
(fonts-wqy-microhei: Chinese), each embedded as the subset the letter uses.

Right-to-left text comes back from a reader in logical order only if no glyph
stands for several characters: fpdf2 paints an RTL line in visual order (left
to right) and writes each glyph's characters in logical order in the font's
ToUnicode CMap (as PDF 32000-1 § 9.10.3 asks), and readers such as poppler's
pdftotext rebuild the logical order by reversing the line character by
character, which turns the lam-alef ligature's "لا" into "ال". So a glyph that
joins right-to-left letters is mapped to the one character Unicode encodes for
it (``one_character_ligatures``). The same subset leaves out the bidi
controls (the isolates ``intake.letters.direction`` puts around references and
phone numbers): they order the line and draw nothing.
"""

import unicodedata
from pathlib import Path

from fpdf import FPDF
from fpdf.fonts import SubsetMap

from intake import locales
from intake.input_hygiene import BIDI_CONTROLS

# Characters that only steer the bidi algorithm (the controls and the marks
# LRM, RLM, ALM): fpdf2 has ordered the line by them before shaping, and
# HarfBuzz gives each a space glyph of no advance, which a reader would then
# read back as the control itself and, as the space glyph is as wide as a space
# in the font's widths, as a word gap that swallows the real space after it.
BIDI_FORMATTING = BIDI_CONTROLS | {"\u200e", "\u200f", "\u061c"}

FONT_DIRS = (Path("/usr/share/fonts/truetype"), Path("/usr/share/fonts"))
MAIN_FONT = "dejavu/DejaVuSans.ttf"
CJK_FONT = "wqy/wqy-microhei.ttc"
# HarfBuzz's script and language for the right-to-left catalogues.
RTL_SHAPING = {"ar": ("arab", "ar"), "fa_AF": ("arab", "fa")}


class FontMissing(RuntimeError):
    """A font package named in .ci/run is not installed."""


def _font(name: str) -> Path:
    for folder in FONT_DIRS:
        if (folder / name).exists():
            return folder / name
    raise FontMissing(name)


class OneCharacterLigatures(SubsetMap):
    """The subset of a font in which a glyph joining right-to-left letters maps
    to the single character Unicode encodes for that ligature, when the font
    itself maps that character to the glyph: the lam-alef ligatures (U+FEF5 to
    U+FEFC, isolated and final) keep their letters in order through a reader's
    character-by-character reversal, and their compatibility decomposition
    (NFKC) is the letters in logical order, so copied text and search still
    find "لا". Ligatures Unicode has no character for keep fpdf2's mapping."""

    def __init__(self, font) -> None:
        self.characters_of: dict[str, list[int]] = {}
        for code_point, glyph_name in font.cmap.items():
            self.characters_of.setdefault(glyph_name, []).append(code_point)
        super().__init__(font)

    def get_glyph(self, glyph=None, unicode=None, glyph_name=None, glyph_width=None):
        if isinstance(unicode, tuple) and unicode:
            drawn = tuple(c for c in unicode if chr(c) not in BIDI_FORMATTING)
            if not drawn:
                return None  # fpdf2 then leaves the glyph out
            unicode = drawn
        if isinstance(unicode, tuple) and len(unicode) > 1 and glyph_name is not None:
            unicode = self.one_character(glyph_name, unicode)
        return super().get_glyph(glyph, unicode, glyph_name, glyph_width)

    # output() empties fpdf2's cache of get_glyph (which holds the subset) this way.
    get_glyph.cache_clear = SubsetMap.get_glyph.cache_clear

    def one_character(self, glyph_name: str, code_points: tuple[int, ...]) -> tuple[int, ...]:
        letters = "".join(map(chr, code_points))
        if not all(unicodedata.bidirectional(c) in ("R", "AL") for c in letters):
            return code_points  # left to right: readers keep the order as written
        for code_point in self.characters_of.get(glyph_name, ()):
            if unicodedata.normalize("NFKC", chr(code_point)) == letters:
                return (code_point,)
        return code_points


def one_character_ligatures(pdf: FPDF, family: str) -> None:
    """Use ``OneCharacterLigatures`` for a font just added (before any text)."""
    font = pdf.fonts[family]
    font.subset = OneCharacterLigatures(font)


def render(subject: str, body: str, language: str, mixed_scripts: bool = False) -> bytes:
    """The letter's PDF: the subject as a heading, then each paragraph.
    ``mixed_scripts``: a document in ``language`` quoting text in any script
    (a referral packet's answers as given), so the Chinese font comes first and
    DejaVu Sans covers the rest, as for a Chinese letter."""
    pdf = FPDF(format="A4")
    pdf.set_title(subject)
    pdf.set_lang(locales.KNOWN[language].tag if language in locales.KNOWN else "en")
    pdf.set_margins(20, 20, 20)
    pdf.add_page()
    pdf.add_font("main", fname=str(_font(MAIN_FONT)))
    one_character_ligatures(pdf, "main")
    pdf.set_font("main", size=11)
    if language == "zh_Hans" or mixed_scripts:
        pdf.add_font("cjk", fname=str(_font(CJK_FONT)))
        pdf.set_font("cjk", size=11)
        pdf.set_fallback_fonts(["main"])
    rtl = language in RTL_SHAPING
    if rtl:
        script, lang = RTL_SHAPING[language]
        pdf.set_text_shaping(use_shaping_engine=True, direction="rtl", script=script, language=lang)
    else:
        pdf.set_text_shaping(use_shaping_engine=True)
    align = "R" if rtl else "L"
    pdf.set_font_size(14)
    pdf.multi_cell(0, 8, subject, align=align, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font_size(11)
    for paragraph in body.split("\n\n"):
        pdf.ln(3)
        pdf.multi_cell(0, 6, paragraph, align=align, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
