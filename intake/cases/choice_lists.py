"""The lists the screening form offers: countries, US states and territories,
languages. Codes are what is stored; labels are English here (short labels go
through gettext; country names can come from Babel's locale data by code when
the catalogues arrive)."""

import unicodedata
from functools import cache

from babel import Locale, UnknownLocaleError
from flask_babel import lazy_gettext as _l

from intake import locales

# ISO 3166-1 alpha-2 code and a short English name (from Debian's iso-codes, with
# everyday names such as "Syria" and uninhabited territories left out), plus
# "XK" Kosovo, and two answers that are not countries.
COUNTRIES: tuple[tuple[str, str], ...] = (
    ("AF", "Afghanistan"),
    ("AL", "Albania"),
    ("DZ", "Algeria"),
    ("AS", "American Samoa"),
    ("AD", "Andorra"),
    ("AO", "Angola"),
    ("AI", "Anguilla"),
    ("AG", "Antigua and Barbuda"),
    ("AR", "Argentina"),
    ("AM", "Armenia"),
    ("AW", "Aruba"),
    ("AU", "Australia"),
    ("AT", "Austria"),
    ("AZ", "Azerbaijan"),
    ("BS", "Bahamas"),
    ("BH", "Bahrain"),
    ("BD", "Bangladesh"),
    ("BB", "Barbados"),
    ("BY", "Belarus"),
    ("BE", "Belgium"),
    ("BZ", "Belize"),
    ("BJ", "Benin"),
    ("BM", "Bermuda"),
    ("BT", "Bhutan"),
    ("BO", "Bolivia"),
    ("BQ", "Bonaire, Sint Eustatius and Saba"),
    ("BA", "Bosnia and Herzegovina"),
    ("BW", "Botswana"),
    ("BR", "Brazil"),
    ("BN", "Brunei Darussalam"),
    ("BG", "Bulgaria"),
    ("BF", "Burkina Faso"),
    ("BI", "Burundi"),
    ("CV", "Cabo Verde"),
    ("KH", "Cambodia"),
    ("CM", "Cameroon"),
    ("CA", "Canada"),
    ("KY", "Cayman Islands"),
    ("CF", "Central African Republic"),
    ("TD", "Chad"),
    ("CL", "Chile"),
    ("CN", "China"),
    ("CX", "Christmas Island"),
    ("CC", "Cocos (Keeling) Islands"),
    ("CO", "Colombia"),
    ("KM", "Comoros"),
    ("CD", "Congo (Democratic Republic)"),
    ("CG", "Congo (Republic)"),
    ("CK", "Cook Islands"),
    ("CR", "Costa Rica"),
    ("HR", "Croatia"),
    ("CU", "Cuba"),
    ("CW", "Curaçao"),
    ("CY", "Cyprus"),
    ("CZ", "Czechia"),
    ("CI", "Côte d'Ivoire"),
    ("DK", "Denmark"),
    ("DJ", "Djibouti"),
    ("DM", "Dominica"),
    ("DO", "Dominican Republic"),
    ("EC", "Ecuador"),
    ("EG", "Egypt"),
    ("SV", "El Salvador"),
    ("GQ", "Equatorial Guinea"),
    ("ER", "Eritrea"),
    ("EE", "Estonia"),
    ("SZ", "Eswatini"),
    ("ET", "Ethiopia"),
    ("FK", "Falkland Islands (Malvinas)"),
    ("FO", "Faroe Islands"),
    ("FJ", "Fiji"),
    ("FI", "Finland"),
    ("FR", "France"),
    ("GF", "French Guiana"),
    ("PF", "French Polynesia"),
    ("GA", "Gabon"),
    ("GM", "Gambia"),
    ("GE", "Georgia"),
    ("DE", "Germany"),
    ("GH", "Ghana"),
    ("GI", "Gibraltar"),
    ("GR", "Greece"),
    ("GL", "Greenland"),
    ("GD", "Grenada"),
    ("GP", "Guadeloupe"),
    ("GU", "Guam"),
    ("GT", "Guatemala"),
    ("GG", "Guernsey"),
    ("GN", "Guinea"),
    ("GW", "Guinea-Bissau"),
    ("GY", "Guyana"),
    ("HT", "Haiti"),
    ("VA", "Holy See"),
    ("HN", "Honduras"),
    ("HK", "Hong Kong"),
    ("HU", "Hungary"),
    ("IS", "Iceland"),
    ("IN", "India"),
    ("ID", "Indonesia"),
    ("IR", "Iran"),
    ("IQ", "Iraq"),
    ("IE", "Ireland"),
    ("IM", "Isle of Man"),
    ("IL", "Israel"),
    ("IT", "Italy"),
    ("JM", "Jamaica"),
    ("JP", "Japan"),
    ("JE", "Jersey"),
    ("JO", "Jordan"),
    ("KZ", "Kazakhstan"),
    ("KE", "Kenya"),
    ("KI", "Kiribati"),
    ("XK", "Kosovo"),
    ("KW", "Kuwait"),
    ("KG", "Kyrgyzstan"),
    ("LA", "Laos"),
    ("LV", "Latvia"),
    ("LB", "Lebanon"),
    ("LS", "Lesotho"),
    ("LR", "Liberia"),
    ("LY", "Libya"),
    ("LI", "Liechtenstein"),
    ("LT", "Lithuania"),
    ("LU", "Luxembourg"),
    ("MO", "Macao"),
    ("MG", "Madagascar"),
    ("MW", "Malawi"),
    ("MY", "Malaysia"),
    ("MV", "Maldives"),
    ("ML", "Mali"),
    ("MT", "Malta"),
    ("MH", "Marshall Islands"),
    ("MQ", "Martinique"),
    ("MR", "Mauritania"),
    ("MU", "Mauritius"),
    ("YT", "Mayotte"),
    ("MX", "Mexico"),
    ("FM", "Micronesia"),
    ("MD", "Moldova"),
    ("MC", "Monaco"),
    ("MN", "Mongolia"),
    ("ME", "Montenegro"),
    ("MS", "Montserrat"),
    ("MA", "Morocco"),
    ("MZ", "Mozambique"),
    ("MM", "Myanmar"),
    ("NA", "Namibia"),
    ("NR", "Nauru"),
    ("NP", "Nepal"),
    ("NL", "Netherlands"),
    ("NC", "New Caledonia"),
    ("NZ", "New Zealand"),
    ("NI", "Nicaragua"),
    ("NE", "Niger"),
    ("NG", "Nigeria"),
    ("NU", "Niue"),
    ("NF", "Norfolk Island"),
    ("KP", "North Korea"),
    ("MK", "North Macedonia"),
    ("MP", "Northern Mariana Islands"),
    ("NO", "Norway"),
    ("OM", "Oman"),
    ("PK", "Pakistan"),
    ("PW", "Palau"),
    ("PS", "Palestine"),
    ("PA", "Panama"),
    ("PG", "Papua New Guinea"),
    ("PY", "Paraguay"),
    ("PE", "Peru"),
    ("PH", "Philippines"),
    ("PN", "Pitcairn"),
    ("PL", "Poland"),
    ("PT", "Portugal"),
    ("PR", "Puerto Rico"),
    ("QA", "Qatar"),
    ("RO", "Romania"),
    ("RU", "Russia"),
    ("RW", "Rwanda"),
    ("RE", "Réunion"),
    ("BL", "Saint Barthélemy"),
    ("SH", "Saint Helena, Ascension and Tristan da Cunha"),
    ("KN", "Saint Kitts and Nevis"),
    ("LC", "Saint Lucia"),
    ("MF", "Saint Martin (French part)"),
    ("PM", "Saint Pierre and Miquelon"),
    ("VC", "Saint Vincent and the Grenadines"),
    ("WS", "Samoa"),
    ("SM", "San Marino"),
    ("ST", "Sao Tome and Principe"),
    ("SA", "Saudi Arabia"),
    ("SN", "Senegal"),
    ("RS", "Serbia"),
    ("SC", "Seychelles"),
    ("SL", "Sierra Leone"),
    ("SG", "Singapore"),
    ("SX", "Sint Maarten (Dutch part)"),
    ("SK", "Slovakia"),
    ("SI", "Slovenia"),
    ("SB", "Solomon Islands"),
    ("SO", "Somalia"),
    ("ZA", "South Africa"),
    ("KR", "South Korea"),
    ("SS", "South Sudan"),
    ("ES", "Spain"),
    ("LK", "Sri Lanka"),
    ("SD", "Sudan"),
    ("SR", "Suriname"),
    ("SJ", "Svalbard and Jan Mayen"),
    ("SE", "Sweden"),
    ("CH", "Switzerland"),
    ("SY", "Syria"),
    ("TW", "Taiwan"),
    ("TJ", "Tajikistan"),
    ("TZ", "Tanzania"),
    ("TH", "Thailand"),
    ("TL", "Timor-Leste"),
    ("TG", "Togo"),
    ("TK", "Tokelau"),
    ("TO", "Tonga"),
    ("TT", "Trinidad and Tobago"),
    ("TN", "Tunisia"),
    ("TM", "Turkmenistan"),
    ("TC", "Turks and Caicos Islands"),
    ("TV", "Tuvalu"),
    ("TR", "Türkiye"),
    ("UG", "Uganda"),
    ("UA", "Ukraine"),
    ("AE", "United Arab Emirates"),
    ("GB", "United Kingdom"),
    ("UY", "Uruguay"),
    ("UZ", "Uzbekistan"),
    ("VU", "Vanuatu"),
    ("VE", "Venezuela"),
    ("VN", "Vietnam"),
    ("VG", "Virgin Islands, British"),
    ("VI", "Virgin Islands, U.S."),
    ("WF", "Wallis and Futuna"),
    ("EH", "Western Sahara"),
    ("YE", "Yemen"),
    ("ZM", "Zambia"),
    ("ZW", "Zimbabwe"),
    ("AX", "Åland Islands"),
)
NATIONALITY_CHOICES = (
    *COUNTRIES,
    ("stateless", _l("Stateless (no nationality)")),
    ("other", _l("Other or not sure")),
)

# USPS codes: the 50 states, DC and the inhabited territories. The rules use the
# code to pick the poverty guideline (Alaska and Hawaii have their own).
US_STATES: tuple[tuple[str, str], ...] = (
    ("AL", "Alabama"),
    ("AK", "Alaska"),
    ("AS", "American Samoa"),
    ("AZ", "Arizona"),
    ("AR", "Arkansas"),
    ("CA", "California"),
    ("CO", "Colorado"),
    ("CT", "Connecticut"),
    ("DE", "Delaware"),
    ("DC", "District of Columbia"),
    ("FL", "Florida"),
    ("GA", "Georgia"),
    ("GU", "Guam"),
    ("HI", "Hawaii"),
    ("ID", "Idaho"),
    ("IL", "Illinois"),
    ("IN", "Indiana"),
    ("IA", "Iowa"),
    ("KS", "Kansas"),
    ("KY", "Kentucky"),
    ("LA", "Louisiana"),
    ("ME", "Maine"),
    ("MD", "Maryland"),
    ("MA", "Massachusetts"),
    ("MI", "Michigan"),
    ("MN", "Minnesota"),
    ("MS", "Mississippi"),
    ("MO", "Missouri"),
    ("MT", "Montana"),
    ("NE", "Nebraska"),
    ("NV", "Nevada"),
    ("NH", "New Hampshire"),
    ("NJ", "New Jersey"),
    ("NM", "New Mexico"),
    ("NY", "New York"),
    ("NC", "North Carolina"),
    ("ND", "North Dakota"),
    ("MP", "Northern Mariana Islands"),
    ("OH", "Ohio"),
    ("OK", "Oklahoma"),
    ("OR", "Oregon"),
    ("PA", "Pennsylvania"),
    ("PR", "Puerto Rico"),
    ("RI", "Rhode Island"),
    ("SC", "South Carolina"),
    ("SD", "South Dakota"),
    ("TN", "Tennessee"),
    ("TX", "Texas"),
    ("UT", "Utah"),
    ("VT", "Vermont"),
    ("VI", "U.S. Virgin Islands"),
    ("VA", "Virginia"),
    ("WA", "Washington"),
    ("WV", "West Virginia"),
    ("WI", "Wisconsin"),
    ("WY", "Wyoming"),
)

# Languages people seeking asylum in the US most often speak (ISO 639 codes where
# one exists), each labelled in English; "other" lets them say so in the summary.
LANGUAGES: tuple[tuple[str, str], ...] = (
    ("en", _l("English")),
    ("es", _l("Spanish")),
    ("fr", _l("French")),
    ("ht", _l("Haitian Creole")),
    ("pt", _l("Portuguese")),
    ("ar", _l("Arabic")),
    ("prs", _l("Dari")),
    ("fa", _l("Farsi (Persian)")),
    ("ps", _l("Pashto")),
    ("ru", _l("Russian")),
    ("uk", _l("Ukrainian")),
    ("zh-cmn", _l("Mandarin Chinese")),
    ("zh-yue", _l("Cantonese")),
    ("ti", _l("Tigrinya")),
    ("am", _l("Amharic")),
    ("so", _l("Somali")),
    ("sw", _l("Swahili")),
    ("ln", _l("Lingala")),
    ("wo", _l("Wolof")),
    ("ff", _l("Fula (Pulaar)")),
    ("tr", _l("Turkish")),
    ("ku", _l("Kurdish")),
    ("ka", _l("Georgian")),
    ("uz", _l("Uzbek")),
    ("tg", _l("Tajik")),
    ("ro", _l("Romanian")),
    ("hi", _l("Hindi")),
    ("pa", _l("Punjabi")),
    ("ur", _l("Urdu")),
    ("bn", _l("Bengali")),
    ("ne", _l("Nepali")),
    ("my", _l("Burmese")),
    ("vi", _l("Vietnamese")),
    ("quc", _l("K'iche'")),
    ("mam", _l("Mam")),
    ("kjb", _l("Q'anjob'al")),
    ("qu", _l("Quechua")),
    ("other", _l("Other")),
)


def label_for(choices, code: str | None) -> str:
    """The label of a code in one of these lists, or the code itself."""
    return "" if code is None else str(dict(choices).get(code, code))


# Names for staff pages, which are in English and store codes (template filters,
# registered in create_app): a code no list knows, such as a value stored before
# the lists existed, is shown as it is rather than hidden.


def country_name(code: str | None) -> str:
    """``VN`` -> ``Vietnam``; also the two answers that are not countries."""
    return label_for(NATIONALITY_CHOICES, code)


def state_name(code: str | None) -> str:
    """``IL`` -> ``Illinois``."""
    return label_for(US_STATES, code)


# The interface catalogue that writes each preferred language the form offers,
# where there is one (Dari and Farsi both read the Dari catalogue's script).
CATALOGUE_OF_LANGUAGE = {
    "en": "en", "es": "es", "fr": "fr", "ht": "ht", "pt": "pt_BR", "ar": "ar",
    "prs": "fa_AF", "fa": "fa_AF", "ru": "ru", "uk": "uk", "zh-cmn": "zh_Hans",
}  # fmt: skip


def language_name(code: str | None) -> str:
    """``vi`` -> ``Vietnamese``, from the form's list; a locale code of the
    interface (``pt_BR``, ``fa_AF``) that the list lacks is named by Babel."""
    name = label_for(LANGUAGES, code)
    return _locale_name(code) if name == code else name


@cache
def _locale_name(code: str) -> str:
    try:
        return Locale.parse(code).get_display_name("en") or code
    except (UnknownLocaleError, ValueError):
        return code


def _sort_key(name: str) -> str:
    """Alphabetical enough without ICU: accents ignored ("Égypte" with the E's)."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def nationality_choices() -> list[tuple[str, str]]:
    """Countries named and sorted for the current language, then the two answers
    that are not countries."""
    english = locales.current().code == locales.DEFAULT
    return list(_nationality_choices(None if english else locales.formatting_locale()))


@cache
def _nationality_choices(babel_locale: str | None) -> tuple[tuple[str, str], ...]:
    """Sorted once per language and process: every form (and every posted step)
    builds this list of some 250 countries."""
    names = Locale.parse(babel_locale).territories if babel_locale else {}
    named = sorted(
        ((code, names.get(code, name)) for code, name in COUNTRIES),
        key=lambda pair: _sort_key(pair[1]),
    )
    return (*named, *NATIONALITY_CHOICES[len(COUNTRIES) :])
