"""A letter as a PDF, with no browser on the server: fpdf2 (pure Python, kept
up to date by the py-pdf project) with its HarfBuzz text shaping (uharfbuzz),
so Arabic and Dari are laid out right to left with their letters joined.

Fonts come from Debian packages, not the repository: DejaVu Sans
(fonts-dejavu-core: Latin, Cyrillic, Arabic script) and WenQuanYi Micro Hei
(fonts-wqy-microhei: Chinese), each embedded as the subset the letter uses.
"""

from pathlib import Path

from fpdf import FPDF

from intake import locales

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


def render(subject: str, body: str, language: str) -> bytes:
    """The letter's PDF: the subject as a heading, then each paragraph."""
    pdf = FPDF(format="A4")
    pdf.set_title(subject)
    pdf.set_lang(locales.KNOWN[language].tag if language in locales.KNOWN else "en")
    pdf.set_margins(20, 20, 20)
    pdf.add_page()
    pdf.add_font("main", fname=str(_font(MAIN_FONT)))
    pdf.set_font("main", size=11)
    if language == "zh_Hans":
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
