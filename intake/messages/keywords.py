# ruff: noqa: E501  (the answers read best one to a line)
"""STOP, START and HELP, and their usual words in each interface language.

A message is a keyword when, trimmed, without closing punctuation and in any
case, it is one of these words alone (as Twilio matches them: "STOP" stops,
"please stop calling my sister" is a message for staff).

Twilio's own keywords (https://www.twilio.com/docs/messaging/tutorials/advanced-opt-out):
STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT, REVOKE, OPTOUT stop; START,
UNSTOP, YES start again; HELP, INFO ask for help. On an SMS number Twilio answers
its own opt-out and opt-in words itself and blocks further texts after them
(``TWILIO_ANSWERS``): we record them and do not answer twice. The words in the
other languages are the ones services in those languages use; Twilio knows none
of them, so we answer them, in that language.

The answers are machine-assisted drafts, like every catalogue
(intake/translations/README.md), awaiting review by fluent speakers.
"""

import unicodedata
from dataclasses import dataclass

STOP, START, HELP = "stop", "start", "help"

# language -> keyword -> words (upper case, as people type them, accented and not).
WORDS = {
    "en": {
        STOP: ("STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"),
        START: ("START", "UNSTOP", "YES"),
        HELP: ("HELP", "INFO"),
    },
    "es": {
        STOP: ("PARAR", "ALTO", "BAJA", "DETENER", "CANCELAR"),
        START: ("EMPEZAR", "INICIAR", "ALTA", "COMENZAR"),
        HELP: ("AYUDA",),
    },
    "fr": {
        STOP: ("ARRÊT", "ARRET", "ARRÊTER", "ARRETER", "DÉSABONNER", "DESABONNER"),
        START: ("COMMENCER", "REPRENDRE"),
        HELP: ("AIDE",),
    },
    "ht": {
        STOP: ("KANPE", "SISPANN", "RETE"),
        START: ("KÒMANSE", "KOMANSE"),
        HELP: ("ÈD", "ED", "EDE", "ÈDE"),
    },
    "pt_BR": {
        STOP: ("PARAR", "SAIR", "CANCELAR"),
        START: ("COMEÇAR", "COMECAR", "INICIAR", "VOLTAR"),
        HELP: ("AJUDA",),
    },
    "ar": {
        STOP: ("توقف", "إيقاف", "ايقاف", "الغاء", "إلغاء"),
        START: ("ابدأ", "ابدا", "بدء"),
        HELP: ("مساعدة",),
    },
    "fa_AF": {
        STOP: ("توقف", "لغو", "بس"),
        START: ("شروع",),
        HELP: ("کمک", "كمك"),
    },
    "ru": {
        STOP: ("СТОП", "ОТПИСАТЬСЯ", "ОТМЕНА"),
        START: ("СТАРТ", "НАЧАТЬ"),
        HELP: ("ПОМОЩЬ",),
    },
    "uk": {
        STOP: ("СТОП", "ВІДПИСАТИСЯ", "СКАСУВАТИ"),
        START: ("СТАРТ", "ПОЧАТИ"),
        HELP: ("ДОПОМОГА",),
    },
    "zh_Hans": {
        STOP: ("停止", "退订", "取消"),
        START: ("开始", "订阅"),
        HELP: ("帮助",),
    },
}
# On SMS, Twilio answers (and enforces) these itself.
TWILIO_ANSWERS = frozenset(WORDS["en"][STOP] + WORDS["en"][START])

# The answers, in each language: {organisation}, {phone}.
ANSWERS = {
    "en": {
        STOP: "{organisation}: you will get no more messages from us. Reply START to get them again.",
        START: "{organisation}: you will get our messages again. Reply STOP to stop them.",
        HELP: "{organisation}. Reply STOP to stop messages.",
        "call": "Call us: {phone}.",
    },
    "es": {
        STOP: "{organisation}: ya no recibirá mensajes nuestros. Responda EMPEZAR para recibirlos de nuevo.",
        START: "{organisation}: recibirá nuestros mensajes otra vez. Responda PARAR para dejar de recibirlos.",
        HELP: "{organisation}. Responda PARAR para no recibir más mensajes.",
        "call": "Llámenos: {phone}.",
    },
    "fr": {
        STOP: "{organisation} : vous ne recevrez plus nos messages. Répondez COMMENCER pour les recevoir à nouveau.",
        START: "{organisation} : vous recevrez de nouveau nos messages. Répondez ARRÊT pour les arrêter.",
        HELP: "{organisation}. Répondez ARRÊT pour ne plus recevoir de messages.",
        "call": "Appelez-nous : {phone}.",
    },
    "ht": {
        STOP: "{organisation}: ou p ap resevwa mesaj nou ankò. Reponn KÒMANSE pou resevwa yo ankò.",
        START: "{organisation}: w ap resevwa mesaj nou ankò. Reponn KANPE pou kanpe yo.",
        HELP: "{organisation}. Reponn KANPE pou pa resevwa mesaj ankò.",
        "call": "Rele nou: {phone}.",
    },
    "pt_BR": {
        STOP: "{organisation}: você não receberá mais mensagens nossas. Responda COMEÇAR para recebê-las de novo.",
        START: "{organisation}: você voltará a receber nossas mensagens. Responda PARAR para interrompê-las.",
        HELP: "{organisation}. Responda PARAR para não receber mais mensagens.",
        "call": "Ligue para nós: {phone}.",
    },
    "ar": {
        STOP: "{organisation}: لن تصلك رسائل منا بعد الآن. أرسل ابدأ لتصلك من جديد.",
        START: "{organisation}: ستصلك رسائلنا من جديد. أرسل توقف لإيقافها.",
        HELP: "{organisation}. أرسل توقف لإيقاف الرسائل.",
        "call": "اتصل بنا: {phone}.",
    },
    "fa_AF": {
        STOP: "{organisation}: دیگر از ما پیام دریافت نمی‌کنید. برای دریافت دوباره، شروع بفرستید.",
        START: "{organisation}: دوباره پیام‌های ما را دریافت می‌کنید. برای توقف، توقف بفرستید.",
        HELP: "{organisation}. برای توقف پیام‌ها، توقف بفرستید.",
        "call": "با ما تماس بگیرید: {phone}.",
    },
    "ru": {
        STOP: "{organisation}: вы больше не будете получать наши сообщения. Ответьте СТАРТ, чтобы снова их получать.",
        START: "{organisation}: вы снова будете получать наши сообщения. Ответьте СТОП, чтобы их остановить.",
        HELP: "{organisation}. Ответьте СТОП, чтобы не получать сообщения.",
        "call": "Позвоните нам: {phone}.",
    },
    "uk": {
        STOP: "{organisation}: ви більше не отримуватимете наших повідомлень. Відповідайте СТАРТ, щоб знову їх отримувати.",
        START: "{organisation}: ви знову отримуватимете наші повідомлення. Відповідайте СТОП, щоб їх зупинити.",
        HELP: "{organisation}. Відповідайте СТОП, щоб не отримувати повідомлень.",
        "call": "Зателефонуйте нам: {phone}.",
    },
    "zh_Hans": {
        STOP: "{organisation}：您将不再收到我们的消息。回复“开始”可重新接收。",
        START: "{organisation}：您将重新收到我们的消息。回复“停止”即可停止。",
        HELP: "{organisation}。回复“停止”即可不再接收消息。",
        "call": "请致电：{phone}。",
    },
}


@dataclass(frozen=True)
class Keyword:
    action: str  # STOP, START or HELP
    languages: tuple[str, ...]  # the languages that use the word, English first
    word: str  # as matched (upper case)


def _normal(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "").strip()
    return text.rstrip(".!?¡¿。！？،؟ ").lstrip("¡¿ ").upper()


# word -> (action, languages)
_INDEX: dict[str, tuple[str, list[str]]] = {}
for _language, _actions in WORDS.items():
    for _action, _words in _actions.items():
        for _word in _words:
            _INDEX.setdefault(_normal(_word), (_action, []))[1].append(_language)


def match(body: str) -> Keyword | None:
    """The keyword ``body`` is, or None for an ordinary message."""
    word = _normal(body)
    found = _INDEX.get(word)
    if found is None:
        return None
    return Keyword(found[0], tuple(found[1]), word)


def answer_language(keyword: Keyword, preferred: str | None) -> str:
    """The language to answer in: the person's own when the word is used in it
    (CANCELAR is Spanish and Portuguese), else the word's first language."""
    return preferred if preferred in keyword.languages else keyword.languages[0]


def answer(action: str, language: str, organisation: str, phone: str | None) -> str:
    """The answer to STOP, START or HELP in ``language``; HELP gives the
    organisation's phone when it has one."""
    words = ANSWERS.get(language, ANSWERS["en"])
    text = words[action].format(organisation=organisation)
    if action == HELP and phone:
        text += " " + words["call"].format(phone=phone)
    return text


def twilio_answers(keyword: Keyword, channel: str) -> bool:
    """Twilio itself answers this word on this channel (English opt-out and
    opt-in words on SMS)."""
    return channel == "sms" and keyword.action in (STOP, START) and keyword.word in TWILIO_ANSWERS
