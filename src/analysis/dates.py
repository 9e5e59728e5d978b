"""Timestamps as records write them, turned into UTC datetimes.

Handles ISO 8601, RFC 822 (feeds), `YYYY-MM-DD HH:MM:SS[.ffffff]` (database exports), Unix
epochs in seconds or milliseconds, day-first numeric dates (`11/02/2025`, the French order), and
dates written with month names in French, English, Spanish, Portuguese, Italian, German, Dutch,
Russian, Ukrainian, Turkish, Polish, Indonesian, Malay, Tagalog or Arabic (`12 février 2025 à 10h30`, `12 de
febrero de 2025`, `12. Februar 2025`, `2 Aralık 2026`, `2 grudnia 2026`, `12 فبراير 2025`, with
the Maghreb's `غشت` and the Levant's `شباط`), as Chinese, Japanese and Korean write them
(`2026年12月2日`), and in the Solar Hijri, Islamic and Thai calendars (`۱۲ آذر ۱۴۰۵`, `12 جمادى
الآخرة 1448 هـ`, `2 ธ.ค. 2569`). Timestamps without a zone take the configured default zone.
Anything else is `None`, never a guess.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from email.utils import parsedate_to_datetime
from functools import cache
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from dateutil import parser as du_parser

from analysis.language import official_languages
from analysis.text import MARKS

#: Month names and abbreviations by language, January first (Arabic: as Egypt and the Gulf, the
#: Maghreb (Morocco; Algeria and Tunisia) and the Levant write them; `_` is a space).
_MONTH_SPECS = {
    "en": "january jan|february feb|march mar|april apr|may|june jun|july jul|august aug|september sep sept"
    "|october oct|november nov|december dec",
    "fr": "janvier janv|février fevrier févr fevr fév fev|mars|avril avr|mai|juin|juillet juil|août aout"
    "|septembre sept|octobre oct|novembre nov|décembre decembre déc",
    "es": "enero ene|febrero feb|marzo mar|abril abr|mayo may|junio jun|julio jul|agosto ago"
    "|septiembre setiembre sep sept|octubre oct|noviembre nov|diciembre dic",
    "pt": "janeiro jan|fevereiro fev|março marco mar|abril abr|maio mai|junho jun|julho jul|agosto ago"
    "|setembro set|outubro out|novembro nov|dezembro dez",
    "it": "gennaio gen|febbraio feb|marzo mar|aprile apr|maggio mag|giugno giu|luglio lug|agosto ago"
    "|settembre set|ottobre ott|novembre nov|dicembre dic",
    "de": "januar jänner jan|februar feber feb|märz maerz mär|april apr|mai|juni jun|juli jul|august aug"
    "|september sep|oktober okt|november nov|dezember dez",
    "nl": "januari jan|februari feb|maart mrt|april apr|mei|juni jun|juli jul|augustus aug|september sep"
    "|oktober okt|november nov|december dec",
    "ar": "يناير جانفي كانون_الثاني|فبراير فيفري شباط|مارس آذار|أبريل ابريل إبريل أفريل افريل نيسان"
    "|مايو ماي أيار|يونيو يونيه جوان حزيران|يوليو يوليه يوليوز جويلية تموز|أغسطس اغسطس غشت أوت اوت آب"
    "|سبتمبر شتنبر أيلول|أكتوبر اكتوبر تشرين_الأول|نوفمبر نونبر تشرين_الثاني|ديسمبر دجنبر كانون_الأول",
    # Russian and Ukrainian write a date's month in the genitive (`2 декабря`, `2 грудня`), a
    # heading's in the nominative (`декабрь 2026`)
    "ru": "января январь янв|февраля февраль февр фев|марта март мар|апреля апрель апр|мая май|июня июнь июн"
    "|июля июль июл|августа август авг|сентября сентябрь сент сен|октября октябрь окт|ноября ноябрь нояб ноя"
    "|декабря декабрь дек",
    "uk": "січня січень січ|лютого лютий лют|березня березень бер|квітня квітень квіт|травня травень трав"
    "|червня червень черв|липня липень лип|серпня серпень серп|вересня вересень вер|жовтня жовтень жовт"
    "|листопада листопад лист|грудня грудень груд",
    # Turkish (`2 Aralık 2026`; upper case `ARALIK` lowers to `aralik`), Polish in the genitive of a
    # date (`2 grudnia 2026`) and the nominative of a heading (`grudzień 2026`), Indonesian
    # (`2 Desember 2026`, Detik's `02 Des 2026`)
    "tr": "ocak oca|şubat subat şub|mart|nisan nis|mayıs mayis|haziran haz|temmuz tem|ağustos agustos ağu"
    "|eylül eylul eyl|ekim eki|kasım kasim kas|aralık aralik ara",
    "pl": "stycznia styczeń styczen sty|lutego luty lut|marca marzec|kwietnia kwiecień kwiecien kwi|maja maj"
    "|czerwca czerwiec cze|lipca lipiec lip|sierpnia sierpień sierpien sie|września wrzesnia wrzesień wrzesien wrz"
    "|października pazdziernika październik pazdziernik paź|listopada listopad lis|grudnia grudzień grudzien gru",
    "id": "januari jan|februari feb|maret mar|april apr|mei|juni jun|juli jul|agustus agu agt|september sep sept"
    "|oktober okt|november nov|desember des",
    # Hindi (with and without the nukta: `फ़रवरी`, `फरवरी`; `सितंबर`, `सितम्बर`), Urdu and Bengali
    # (`2 दिसंबर 2026`, `۲ دسمبر ۲۰۲۶`, `০২ ডিসেম্বর ২০২৬`: their digits are read as ASCII ones)
    "hi": "जनवरी|फ़रवरी फरवरी|मार्च|अप्रैल अप्रेल|मई|जून|जुलाई|अगस्त|सितंबर सितम्बर|अक्टूबर अक्तूबर|नवंबर नवम्बर|दिसंबर दिसम्बर",
    "ur": "جنوری|فروری|مارچ|اپریل|مئی|جون|جولائی|اگست|ستمبر|اکتوبر|نومبر|دسمبر",
    "bn": "জানুয়ারি জানুয়ারী|ফেব্রুয়ারি ফেব্রুয়ারী|মার্চ|এপ্রিল|মে|জুন|জুলাই|আগস্ট আগষ্ট|সেপ্টেম্বর|অক্টোবর|নভেম্বর|ডিসেম্বর",
    # Swahili, as East Africa's press writes it (Taifa Leo's, Mwananchi's `Jumatano, Desemba 02, 2026`)
    "sw": "januari jan|februari feb|machi mac|aprili apr|mei|juni jun|julai jul|agosti ago|septemba sep"
    "|oktoba okt|novemba nov|desemba des",
    # Hebrew, alone and joined to ב (in: `2 בדצמבר 2026`, Israeli sites' date lines); Persian's
    # Gregorian months (`۲ دسامبر ۲۰۲۶`, beside the Solar Hijri date)
    "he": "ינואר בינואר|פברואר בפברואר|מרץ במרץ מרס במרס|אפריל באפריל|מאי במאי|יוני ביוני|יולי ביולי"
    "|אוגוסט באוגוסט|ספטמבר בספטמבר|אוקטובר באוקטובר|נובמבר בנובמבר|דצמבר בדצמבר",
    "fa": "ژانویه ژانویهٔ|فوریه فوریهٔ|مارس|آوریل|مه مهٔ مئی|ژوئن|ژوئیه ژوئیهٔ جولای|اوت آگوست|سپتامبر|اکتبر|نوامبر|دسامبر",
    # Malay (`2 Disember 2026`, Malaysiakini's `Dis 2, 2026`), Tagalog (GMA's `Disyembre 2, 2026`)
    "ms": "januari jan|februari feb|mac|april apr|mei|jun|julai jul|ogos ogo|september sep sept"
    "|oktober okt|november nov|disember dis",
    "tl": "enero ene|pebrero peb|marso mar|abril abr|mayo|hunyo hun|hulyo hul|agosto ago|setyembre set|oktubre okt"
    "|nobyembre nob|disyembre dis",
    # Swedish, Danish and Norwegian (`1 december 2026`, Politiken's `2. dec. 2026`, NRK's `2. desember
    # 2026`), Finnish in the partitive of a date (`2. joulukuuta 2026`) and the nominative of a
    # heading, Greek in the genitive of a date (`2 Δεκεμβρίου 2026`; in capitals without accents,
    # `ΔΕΚΕΜΒΡΙΟΥ`), Czech in the genitive (`2. prosince 2026`), Hungarian (`2026. december 2.`, the
    # year first), Romanian (`2 decembrie 2026`)
    "sv": "januari jan|februari feb|mars mar|april apr|maj|juni jun|juli jul|augusti aug|september sep sept"
    "|oktober okt|november nov|december dec",
    "da": "januar jan|februar feb|marts mar|april apr|maj|juni jun|juli jul|august aug|september sep"
    "|oktober okt|november nov|december dec",
    "nb": "januar jan|februar feb|mars mar|april apr|mai|juni jun|juli jul|august aug|september sep"
    "|oktober okt|november nov|desember des",
    "fi": "tammikuuta tammikuu|helmikuuta helmikuu|maaliskuuta maaliskuu|huhtikuuta huhtikuu|toukokuuta toukokuu"
    "|kesäkuuta kesäkuu|heinäkuuta heinäkuu|elokuuta elokuu|syyskuuta syyskuu|lokakuuta lokakuu"
    "|marraskuuta marraskuu|joulukuuta joulukuu",
    "el": "ιανουαρίου ιανουαριου ιανουάριος ιαν|φεβρουαρίου φεβρουαριου φεβρουάριος φεβ"
    "|μαρτίου μαρτιου μάρτιος|απριλίου απριλιου απρίλιος απρ|μαΐου μαιου μάιος"
    "|ιουνίου ιουνιου ιούνιος|ιουλίου ιουλιου ιούλιος|αυγούστου αυγουστου αύγουστος αυγ"
    "|σεπτεμβρίου σεπτεμβριου σεπτέμβριος σεπ|οκτωβρίου οκτωβριου οκτώβριος οκτ"
    "|νοεμβρίου νοεμβριου νοέμβριος νοε|δεκεμβρίου δεκεμβριου δεκέμβριος δεκ",
    "cs": "ledna leden|února unora únor|března brezna březen|dubna duben|května kvetna květen|června cervna červen"
    "|července cervence červenec|srpna srpen|září zari|října rijna říjen|listopadu listopad|prosince prosinec",
    "hu": "január januar jan|február februar febr|március marcius márc|április aprilis ápr|május majus máj"
    "|június junius jún|július julius júl|augusztus aug|szeptember szept|október oktober okt|november nov"
    "|december dec",
    "ro": "ianuarie ian|februarie feb|martie mar|aprilie apr|mai|iunie iun|iulie iul|august aug"
    "|septembrie sept sep|octombrie oct|noiembrie nov|decembrie dec",
    # Croatian in the genitive of a date (`2. prosinca 2026.`) and the nominative; its October,
    # `listopada`, is Polish and Czech November (the outlet's country decides: `month_number`).
    # Serbian and Bosnian, Latin and Cyrillic, in the nominative and genitive (`2. decembar 2026.`,
    # `2. децембра 2026.`), Slovenian (`2. december 2026`, `2. decembra`), Bulgarian and Macedonian (`2 декември 2026`),
    # Albanian (`2 dhjetor 2026`), Lithuanian in the genitive (`gruodžio 2 d.`), Latvian (`2.
    # decembris`, `decembrī`), Estonian (`2. detsember 2026`)
    "hr": "siječnja siječanj|veljače veljača|ožujka ožujak|travnja travanj|svibnja svibanj|lipnja lipanj"
    "|srpnja srpanj|kolovoza kolovoz|rujna rujan|listopada listopad|studenoga studenog studeni|prosinca prosinac",
    "sr": "januar januara јануар јануара|februar februara фебруар фебруара|mart marta март марта"
    "|april aprila април априла|maj maja мај маја|jun juna јун јуна|jul jula јул јула"
    "|avgust avgusta август августа|septembar septembra септембар септембра|oktobar oktobra октобар октобра"
    "|novembar novembra новембар новембра|decembar decembra децембар децембра",
    "sl": "januar januarja|februar februarja|marec marca|april aprila|maj maja|junij junija|julij julija"
    "|avgust avgusta|september septembra|oktober oktobra|november novembra|december decembra",
    "bg": "януари|февруари|март|април|май|юни|юли|август|септември|октомври|ноември|декември",
    "mk": "јануари|февруари|март|април|мај|јуни|јули|август|септември|октомври|ноември|декември",
    "sq": "janar|shkurt|mars|prill|maj|qershor|korrik|gusht|shtator|tetor|nëntor nentor|dhjetor",
    "lt": "sausio sausis|vasario vasaris|kovo kovas|balandžio balandis|gegužės gegužė|birželio birželis"
    "|liepos liepa|rugpjūčio rugpjūtis|rugsėjo rugsėjis|spalio spalis|lapkričio lapkritis|gruodžio gruodis",
    "lv": "janvāris janvārī|februāris februārī|marts martā|aprīlis aprīlī|maijs maijā|jūnijs jūnijā"
    "|jūlijs jūlijā|augusts augustā|septembris septembrī|oktobris oktobrī|novembris novembrī|decembris decembrī",
    "et": "jaanuar|veebruar|märts|aprill|mai|juuni|juuli|august|september|oktoober|november|detsember",
}
MONTH_NAMES: dict[str, tuple[tuple[str, ...], ...]] = {
    language: tuple(tuple(name.replace("_", " ") for name in group.split()) for group in spec.split("|"))
    for language, spec in _MONTH_SPECS.items()
}
#: Every month name of every language, with its number.
#: each month's name and its number, in the first language that writes it (by `_MONTH_SPECS`'s order)
MONTHS: dict[str, int] = {}
#: a name that is another month in another language (`listopad`: November in Polish and Czech,
#: October in Croatian): its number in each language
_MONTHS_BY_LANGUAGE: dict[str, dict[str, int]] = {}
for _language, _months in MONTH_NAMES.items():
    for _number, _names in enumerate(_months, 1):
        for _name in _names:
            MONTHS.setdefault(_name, _number)
            _MONTHS_BY_LANGUAGE.setdefault(_name, {})[_language] = _number
_MONTHS_BY_LANGUAGE = {name: numbers for name, numbers in _MONTHS_BY_LANGUAGE.items() if len(set(numbers.values())) > 1}

_DAYS = (
    "lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|"
    "monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|wed|thu|fri|sat|sun|"
    "lunes|martes|miércoles|miercoles|jueves|viernes|sábado|sabado|domingo|"
    "segunda-feira|terça-feira|terca-feira|quarta-feira|quinta-feira|sexta-feira|"
    "lunedì|lunedi|martedì|martedi|mercoledì|mercoledi|giovedì|giovedi|venerdì|venerdi|sabato|"
    "montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|"
    "maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag|"
    "الاثنين|الإثنين|الثلاثاء|الأربعاء|الاربعاء|الخميس|الجمعة|السبت|الأحد|الاحد|"
    "понедельник|вторник|среда|четверг|пятница|суббота|воскресенье|"
    "понеділок|вівторок|середа|четвер|п'ятниця|п’ятниця|субота|неділя|"
    "pazartesi|salı|çarşamba|perşembe|cuma|cumartesi|pazar|"
    "poniedziałek|wtorek|środa|czwartek|piątek|sobota|niedziela|"
    "senin|selasa|rabu|kamis|jumat|jum'at|sabtu|minggu|"
    # Hindi, whole and as Hindi pages shorten them (`बुध, 02 दिसंबर 2026`), Bengali, Urdu
    "सोमवार|मंगलवार|बुधवार|गुरुवार|बृहस्पतिवार|शुक्रवार|शनिवार|रविवार|सोम|मंगल|बुध|गुरु|शुक्र|शनि|रवि|"
    "সোমবার|মঙ্গলবার|বুধবার|বৃহস্পতিবার|শুক্রবার|শনিবার|রবিবার|"
    "پیر|منگل|بدھ|جمعرات|جمعہ|ہفتہ|اتوار|"
    "jumatatu|jumanne|jumatano|alhamisi|ijumaa|jumamosi|jumapili|"
    # Hebrew: `יום רביעי` (the fourth day), Saturday `שבת`
    "יום ראשון|יום שני|יום שלישי|יום רביעי|יום חמישי|יום שישי|שבת|"
    # Malay, Tagalog, Vietnamese (`Thứ tư, 2/12/2026`), Thai
    "isnin|khamis|jumaat|ahad|miyerkules|miyerkoles|huwebes|biyernes|linggo|"
    "thứ hai|thứ ba|thứ tư|thứ năm|thứ sáu|thứ bảy|chủ nhật|"
    "วันจันทร์|วันอังคาร|วันพุธ|วันพฤหัสบดี|วันพฤหัส|วันศุกร์|วันเสาร์|วันอาทิตย์|"
    "måndag|tisdag|onsdag|torsdag|fredag|lördag|söndag|mandag|tirsdag|lørdag|søndag|"
    "maanantai|tiistai|keskiviikko|torstai|perjantai|lauantai|sunnuntai|"
    "δευτέρα|τρίτη|τετάρτη|πέμπτη|παρασκευή|σάββατο|κυριακή|"
    "pondělí|úterý|středa|čtvrtek|pátek|neděle|"
    "hétfő|kedd|szerda|csütörtök|péntek|szombat|vasárnap|"
    "luni|marți|miercuri|joi|vineri|sâmbătă|duminică|"
    # Croatian, Serbian and Bosnian (both scripts), Slovenian, Bulgarian, Macedonian, Lithuanian,
    # Latvian, Estonian
    "ponedjeljak|ponedeljak|utorak|srijeda|sreda|četvrtak|petak|nedjelja|nedelja|"
    "понедељак|уторак|четвртак|петак|недеља|ponedeljek|torek|četrtek|petek|"
    "понеделник|сряда|четвъртък|петък|събота|неделя|четврток|петок|сабота|недела|"
    "pirmadienis|antradienis|trečiadienis|ketvirtadienis|penktadienis|šeštadienis|sekmadienis|"
    "pirmdiena|otrdiena|trešdiena|ceturtdiena|piektdiena|sestdiena|svētdiena|"
    "esmaspäev|teisipäev|kolmapäev|neljapäev|reede|laupäev|pühapäev"
)
_MONTH_ALT = "|".join(sorted(MONTHS, key=len, reverse=True))
_WEEKDAY = re.compile(rf"(?:{_DAYS})\.?", re.I)


def is_weekday(word: str) -> bool:
    """Whether ``word`` is a weekday's name (or its abbreviation) in a language the dates are read in."""
    return _WEEKDAY.fullmatch(word.strip()) is not None


#: a day and its month's name, the day first (`2 décembre`, `2. Dezember`, `2 de diciembre`, `2nd
#: Dec`) or the month first (`December 2`, `Dec. 2nd`): in dates with a year and without one
#: (a dot may join the day and the month: Folha's `02.dez.2026`)
_DAY_MONTH = rf"(?P<day>[0-3]?\d)(?:(?:er|st|nd|rd|th|º|°|\.)?\s+|\.)(?:de\s+)?(?P<month>{_MONTH_ALT})"
_MONTH_DAY = rf"(?P<month>{_MONTH_ALT})\.?\s+(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_WORDY = re.compile(
    rf"(?:(?:{_DAYS})[,،]?\s+)?\b{_DAY_MONTH}(?:\.?(?:[,،]?\s+|\s+[,،]\s*)|\.)(?:de\s+)?(?P<year>(?:1[89]|20)\d\d)\b",
    re.IGNORECASE,
)
_WORDY_EN = re.compile(rf"\b{_MONTH_DAY}(?:,\s*|\s+)(?P<year>(?:1[89]|20)\d\d)", re.IGNORECASE)
#: a date written year first, then the month's name and the day, each closed by a dot, as Hungarian
#: writes it (`2026. december 2.`, `2026. dec. 2., szerda 09:41`)
_WORDY_YEAR_FIRST = re.compile(
    rf"\b(?P<year>(?:1[89]|20)\d\d)\.\s*(?P<month>{_MONTH_ALT})\.?\s*(?P<day>[0-3]?\d)\.(?!\d)(?:,?\s*(?:{_DAYS})\b)?",
    re.IGNORECASE,
)
#: a date written year first, then the day and the month's name, as Latvian writes it (`2026. gada
#: 2. decembris`, the year's `gada`), or then the month's name and the day, as Lithuanian writes it
#: (`2026 m. gruodžio 2 d.`)
_WORDY_BALTIC = (
    re.compile(rf"\b(?P<year>(?:1[89]|20)\d\d)\.\s*gada\s+(?P<day>[0-3]?\d)\.\s*(?P<month>{_MONTH_ALT})\b", re.I),
    re.compile(rf"\b(?P<year>(?:1[89]|20)\d\d)\s*m\.\s*(?P<month>{_MONTH_ALT})\s+(?P<day>[0-3]?\d)\s*d\.", re.I),
)
#: a clock written with a dot after a date written year first, as Swedish writes it (`2026-12-02 08.14`)
_DOTTED_CLOCK = re.compile(r"^\s*(?:kl\.?\s*)?[0-2]?\d\.[0-5]\d\s*$")
#: a day-first numeric date with a space after each dot, as Czech and Slovak write it (`1. 12. 2026`)
_SPACED_DMY = re.compile(r"^([0-3]?\d)\.\s+([01]?\d)\.\s+((?:1[89]|20)\d\d)\b")
#: the time after a date: clock words, `10h30`, `10:30:15.250`, `3:05 PM`, `a.m.`, a zone (`+0100`,
#: `+01:00`, `GMT+0100`, `UTC`, `Z`); `10.30` and `7.30am` as British papers write it; a zone's name (`CET`) is
#: read before (`_ZONE_NAME`); a weekday may come between the date and its time, as press databases
#: write it (`December 2, 2026 Wednesday 10:30 AM EST`); a bar may part them, as one field of a line
#: of them (Abidjan.net's `Publié le mardi 2 décembre 2026 | 08:42 GMT | Fraternité Matin`)
_CLOCK = re.compile(
    r"^(?:\s*(?:г\.|года|р\.|року)(?!\w))?"  # (the year's word: Russian `2026 г.`, Ukrainian `2026 р.`)
    rf"\s*(?:,?\s*(?:{_DAYS})\b\.?)?"
    r"\s*(?:[,.،|•:–—/@-]\s*)?"
    # (Croatian, Serbian, Bosnian `u`, `у`, Slovenian `ob`, Latvian `plkst.`, Estonian `kell`)
    r"(?:à|a|at|a las|às|as|alle ore|alle|ore|um|om|kl\.?|klo\.?|v|ora|lúc|в|о|saa|على الساعة|الساعة|ساعت"
    r"|u|у|ob|plkst\.?|kell)?\s*"
    r"(?P<hour>[0-2]?\d)\s*(?:[h:]\s*|\.(?=[0-5]\d(?:\b|[ap]\.?m\b)))(?P<minute>[0-5]\d)?(?::(?P<second>[0-5]\d)(?:[.,](?P<fraction>\d{1,6}))?)?"
    r"(?:\s*(?P<half>[ap])\.?\s?m\b\.?|\s*(?P<half_ar>ص|م|صباحا|صباحًا|مساء|مساءً)(?!\w))?"
    r"(?:\s*(?:(?:GMT|UTC|UT)?\s*(?P<offset>[+-][01]?\d(?::?[0-5]\d)?)|(?P<utc>Z|GMT|UTC|UT))\b)?",
    re.IGNORECASE,
)
#: (`-` as Dutch press writes it, `02-12-2026 om 10:15`: the same separator twice; the year may be
#: written with two digits, Het Laatste Nieuws's `02-12-26, 11:48`, a German `02.12.26`)
_NUMERIC_DMY = re.compile(
    r"^(?P<day>[0-3]?\d)(?P<sep>[/.-])(?P<month>[01]?\d)(?P=sep)(?P<year>(?:1[89]|20)?\d\d)\.?(?:(?:\s+|(?=,))(?P<rest>.*))?$"
)
#: words before a day-first numeric date in a scraped date field (`Publié le : 02/12/2026 à 10h30`)
_BEFORE_NUMERIC = re.compile(r"^[^\W\d][^\d\n]{0,39}?(?=[0-3]?\d([/.-])[01]?\d\1(?:1[89]|20)\d\d\b)")
_YEAR_FIRST = re.compile(r"^\d{4}[-/.]")
#: a date written year first, what follows it read for a clock alone (the rest left out)
_NUMERIC_YMD = re.compile(
    r"^(?P<year>(?:1[89]|20)\d\d)(?P<sep>[/.-])(?P<month>[01]?\d)(?P=sep)(?P<day>[0-3]?\d)\.?(?!\d)(?P<rest>.*)$"
)
#: the characters of a date or a half of the day written as Chinese, Japanese and Korean write them
_CJK_MARKERS = re.compile("[年년午오上下晚早凌]")
_EPOCH = re.compile(r"^\d{9,13}(?:\.\d+)?$")
#: Arabic-Indic and Persian (Urdu) digits as ASCII ones (`١٢ فبراير ٢٠٢٥`), and Devanagari and
#: Bengali ones (`२ दिसंबर २०२६`, `০২ ডিসেম্বর ২০২৬`)
_DIGITS = str.maketrans(
    "٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹０１２３４５６７８９๐๑๒๓๔๕๖๗๘๙०१२३४५६७८९০১২৩৪৫৬৭৮৯：",
    "0123456789" * 6 + ":",
)
#: a date as Chinese, Japanese and Korean write it (`2026年12月2日`, `2026년 12월 2일`), its clock
#: too (`10时30分`, `10時30分`, `10시 30분`): read as `2026-12-02 10:30`
_CJK_DATE = re.compile(
    r"(?P<year>\d{4})\s*[年년]\s*(?P<month>\d{1,2})\s*[月월]\s*(?P<day>\d{1,2})\s*[日일]"
    r"(?:\s*(?:\([^()]{1,3}\)|（[^（）]{1,3}）|[月火水木金土日]曜日?|星期[一二三四五六日天]|周[一二三四五六日]|[월화수목금토일]요일))?"
    r"(?:\s*(?P<hour>\d{1,2})\s*(?:[时時시:]\s*)(?P<minute>\d{1,2})(?:\s*[分분])?)?"
)


#: a clock after the half of the day's word, as Chinese, Japanese and Korean write it before the
#: hour (`오후 3:20`, `下午3:20`, `午後3時20分`): read as a 24-hour clock (`15:20`)
_CJK_HALF = re.compile(
    r"(?P<half>오전|오후|上午|下午|中午|晚上|早上|凌晨|午前|午後)\s*(?P<hour>[01]?\d)\s*(?:[时時시:]\s*)(?P<minute>[0-5]?\d)(?:\s*[分분])?"
)
#: the halves of the afternoon and evening
_CJK_PM = frozenset(("오후", "下午", "晚上", "午後"))


def _cjk_dates(text: str) -> str:
    """``text`` with its dates written as Chinese, Japanese and Korean write them in ISO form."""

    def iso(match: re.Match[str]) -> str:
        day = f"{match['year']}-{int(match['month']):02d}-{int(match['day']):02d}"
        return f"{day} {int(match['hour']):02d}:{int(match['minute']):02d}" if match["hour"] else day

    def clock(match: re.Match[str]) -> str:
        hour = int(match["hour"])
        if hour > 12:  # (already a 24-hour clock)
            return f"{hour:02d}:{int(match['minute']):02d}"
        if match["half"] == "中午":  # (noon: `中午12:30`, `中午1:00`; `中午11:50` before it)
            hour = hour + 12 if hour < 6 else hour
        elif match["half"] in _CJK_PM:
            hour = hour % 12 + 12
        else:  # (`上午12:10`, `오전 12:10`: ten past midnight)
            hour = hour % 12
        return f"{hour:02d}:{int(match['minute']):02d}"

    if _CJK_HALF.search(text):
        text = _CJK_HALF.sub(clock, text)
    return _CJK_DATE.sub(iso, text)


#: the months of the Solar Hijri calendar, as Iran's press names them and Afghanistan's (Dari)
_SOLAR_MONTHS = (
    "فروردین حمل|اردیبهشت ثور|خرداد جوزا|تیر سرطان|مرداد امرداد اسد|شهریور سنبله|مهر میزان|آبان عقرب|آذر قوس"
    "|دی جدی|بهمن دلو|اسفند حوت"
)
#: the months of the Islamic calendar (`_` is a space)
_HIJRI_MONTHS = (
    "محرم|صفر|ربيع_الأول ربيع_الاول|ربيع_الآخر ربيع_الثاني ربيع_الاخر|جمادى_الأولى جمادى_الاولى"
    "|جمادى_الآخرة جمادى_الثانية جمادى_الاخرة|رجب|شعبان|رمضان|شوال|ذو_القعدة ذي_القعدة|ذو_الحجة ذي_الحجة"
)
#: the months of the Thai calendar, written out and abbreviated (`ธ.ค.`)
_THAI_MONTHS = (
    "มกราคม ม.ค.|กุมภาพันธ์ ก.พ.|มีนาคม มี.ค.|เมษายน เม.ย.|พฤษภาคม พ.ค.|มิถุนายน มิ.ย.|กรกฎาคม ก.ค.|สิงหาคม ส.ค."
    "|กันยายน ก.ย.|ตุลาคม ต.ค.|พฤศจิกายน พ.ย.|ธันวาคม ธ.ค."
)


def _month_table(spec: str) -> dict[str, int]:
    return {name.replace("_", " "): number for number, group in enumerate(spec.split("|"), 1) for name in group.split()}


def _month_pattern(names: dict[str, int]) -> str:
    # Persian and Arabic write ya and kaf differently (`ی`, `ي`; `ک`, `ك`): either matches
    written = (re.escape(name).replace("ی", "[یي]").replace("ک", "[کك]").replace(r"\ ", r"\s+") for name in names)
    return "|".join(sorted(written, key=len, reverse=True))


_SOLAR = _month_table(_SOLAR_MONTHS)
_ISLAMIC = _month_table(_HIJRI_MONTHS)
_THAI = _month_table(_THAI_MONTHS)
#: a date of another calendar than the Gregorian: the Solar Hijri (`۱۲ آذر ۱۴۰۵`, Iran's and
#: Afghanistan's press), the Islamic (`12 جمادى الآخرة 1448 هـ`), the Thai with the Buddhist era's
#: year, 543 ahead (`2 ธันวาคม 2569`, `2 ธ.ค. 69`), a weekday's name before it left out
_OTHER_CALENDAR = re.compile(
    rf"(?:(?:{_DAYS}|شنبه|یکشنبه|يکشنبه|دوشنبه|سه\s*[\u200c]?شنبه|چهارشنبه|پنجشنبه|پنج\s*[\u200c]?شنبه|جمعه"
    r"|วัน\S{0,10}?ที่)\s*[،,]?\s*)?"
    rf"(?P<day>[0-3]?\d)\s*(?:(?P<solar>{_month_pattern(_SOLAR)})\s+(?P<solar_year>1[34]\d\d)"
    rf"|(?P<islamic>{_month_pattern(_ISLAMIC)})\s+(?P<islamic_year>1[345]\d\d)(?:\s*هـ?(?!\w))?"
    rf"|(?P<thai>{_month_pattern(_THAI)})\s*(?:พ\.ศ\.\s*)?(?P<thai_year>25\d\d|\d\d))(?!\d)",
    re.IGNORECASE,
)
_GREGORIAN_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
#: a Solar Hijri date written in numbers, the year first (Tasnim's and Mehr's `۱۴۰۵/۰۹/۱۱ -
#: ۰۹:۴۵`): a year from 1300 to 1420 (1921 to 2041), not marked as the Islamic calendar's (`هـ`,
#: `ق`); an Islamic year of those is 1921 to 1999, a year-first Islamic date of this century 1421
#: or later, left as it is
_SOLAR_NUMERIC = re.compile(
    r"(?<![\d/.-])(?P<year>13\d\d|14[01]\d|1420)(?P<sep>[/.-])(?P<month>0?[1-9]|1[0-2])(?P=sep)"
    r"(?P<day>0?[1-9]|[12]\d|3[01])(?![\d/.-])(?!\s*(?:هـ|ه\.?\s*ق|ق(?!\w)))"
)


def _other_calendars(text: str) -> str:
    """``text`` (ASCII digits) with its dates of the Solar Hijri, Islamic and Thai calendars in ISO
    form, as the Gregorian date they are; an Islamic date is left as it is beside a Gregorian year
    (`22 جمادى الآخرة 1448 هـ - 02 ديسمبر 2026`: :data:`_HIJRI` takes it out)."""
    beside = _GREGORIAN_YEAR.search(text) is not None

    def iso(match: re.Match[str]) -> str:
        import hijridate
        import jdatetime

        day = int(match["day"])
        try:
            if match["solar"]:
                month = _SOLAR[re.sub("ي", "ی", match["solar"]).replace("ك", "ک")]
                found: date = jdatetime.date(int(match["solar_year"]), month, day).togregorian()
            elif match["islamic"]:
                if beside:
                    return match[0]
                month = _ISLAMIC[re.sub(r"\s+", " ", match["islamic"])]
                found = hijridate.Hijri(int(match["islamic_year"]), month, day).to_gregorian()
            else:
                year = int(match["thai_year"])
                found = date(year - 543 if year > 99 else 2500 + year - 543, _THAI[match["thai"]], day)
        except (ValueError, OverflowError, KeyError):
            return match[0]
        return f"{found.year:04d}-{found.month:02d}-{found.day:02d}"

    def solar(match: re.Match[str]) -> str:
        import jdatetime

        try:
            found = jdatetime.date(int(match["year"]), int(match["month"]), int(match["day"])).togregorian()
        except (ValueError, OverflowError):
            return match[0]
        return f"{found.year:04d}-{found.month:02d}-{found.day:02d}"

    return _OTHER_CALENDAR.sub(iso, _SOLAR_NUMERIC.sub(solar, _THAI_CLOCK.sub("", text)))


#: the word after a Thai clock (`10:30 น.`, o'clock)
_THAI_CLOCK = re.compile(r"(?<=\d)\s*(?:น\.|นาฬิกา)")


#: what a date of another calendar holds: a Solar Hijri or Islamic year, or Thai letters (a
#: cheap look before :data:`_OTHER_CALENDAR`, which most Arabic text would only slow down)
_CALENDAR_MARKERS = re.compile("(?<!\\d)1[345]\\d\\d(?!\\d)|[\u0e00-\u0e7f]")


#: a Hijri date beside the Gregorian one (`22/6/1448 - 2/12/2026`, `22 جمادى الآخرة 1448 هـ - 02
#: ديسمبر 2026`): left out, so that the Gregorian date is read
_HIJRI = re.compile(
    r"(?<!\d)[0-3]?\d(?:/[01]?\d/|\s+(?:محرم|صفر|ربيع\s+(?:الأول|الآخر|الثاني)|جمادى\s+(?:الأولى|الآخرة|الثانية)|رجب"
    r"|شعبان|رمضان|شوال|ذو\s+القعدة|ذو\s+الحجة)\s+)1[345]\d\d(?!\d)(?:\s*هـ?(?!\w))?\s*[-–|،,]?\s*"
)

#: zone abbreviations and the countries writing numeric dates month first (see the file)
DATES_FILE = Path(__file__).parent / "data" / "dates.toml"


def _offset(value: str) -> timezone:
    sign, hours, minutes = value[0], int(value[1:3]), int(value[4:6])
    delta = timedelta(hours=hours, minutes=minutes)
    return timezone(-delta if sign == "-" else delta)


def _zone(value: str) -> tzinfo:
    """An offset (`+05:30`), or an IANA zone's name for a zone written without its season (`ET`)."""
    return _offset(value) if value[:1] in "+-" else ZoneInfo(value)


with DATES_FILE.open("rb") as _handle:
    _DATES_DATA = tomllib.load(_handle)
ZONES: dict[str, tzinfo] = {name: _zone(value) for name, value in _DATES_DATA["zones"].items()}
ZONES_BY_COUNTRY: dict[str, dict[str, timezone]] = {
    name: {country: _offset(value) for country, value in by_country.items()}
    for name, by_country in _DATES_DATA["zones_by_country"].items()
}
MONTH_FIRST: frozenset[str] = frozenset(_DATES_DATA["month_first"])
#: zones written in words after a clock (`(توقيت مكة)`), longest first
ZONE_PHRASES: dict[str, timezone] = {
    name: _offset(value) for name, value in _DATES_DATA.get("zone_phrases", {}).items()
}
_PHRASES = "|".join(map(re.escape, sorted(ZONE_PHRASES, key=len, reverse=True)))
_ZONE_PHRASE = re.compile(rf"\s*\(?\s*ب?(?P<phrase>{_PHRASES})\s*\)?\s*$") if ZONE_PHRASES else None
#: the zone an outlet's clock reads, by its country, where the file names one (see the file;
#: :func:`local_zone` adds every country of one clock)
LOCAL_ZONES: dict[str, ZoneInfo] = {
    country: ZoneInfo(name) for country, name in _DATES_DATA.get("local_zones", {}).items()
}
#: the zone an outlet's clock reads, by its web domain, where it is not its country's (see the file)
OUTLET_ZONES: dict[str, ZoneInfo] = {
    domain: ZoneInfo(name) for domain, name in _DATES_DATA.get("outlet_zones", {}).items()
}
#: two days (winter, summer) on which a country's zones must show the same offsets to be one clock
_CLOCK_PROBES = (datetime(2025, 1, 15, 12, tzinfo=UTC), datetime(2025, 7, 15, 12, tzinfo=UTC))


@cache
def _one_clock_zones() -> dict[str, ZoneInfo]:
    """Per country (ISO alpha-2), its zone when all its zones keep one clock, summer time
    included (CLDR's zones of each territory, from babel): France's, Morocco's, Germany's (Berlin
    and Büsingen), not Spain's (the Canaries keep their own) nor the United States'."""
    from zoneinfo import available_timezones

    from babel.core import get_global

    known = available_timezones()
    found: dict[str, ZoneInfo] = {}
    for country, names in sorted(get_global("territory_zones").items()):
        zones = [ZoneInfo(name) for name in names if name in known]
        if len(country) != 2 or not zones:
            continue
        if len({tuple(probe.astimezone(zone).utcoffset() for probe in _CLOCK_PROBES) for zone in zones}) == 1:
            found[country] = zones[0]
    return found


def local_zone(country: str | None) -> ZoneInfo | None:
    """The zone a clock written without one reads in the press of ``country``: the file's
    ``local_zones`` entry, else the country's one clock; ``None`` for a country of several clocks
    that the file does not list (Greenland, Kiribati...) or an unknown one."""
    if not country:
        return None
    return LOCAL_ZONES.get(country) or _one_clock_zones().get(country)


def outlet_zone(url: str | None) -> ZoneInfo | None:
    """The zone ``outlet_zones`` gives the URL's host or the closest domain it ends with
    (``www.latimes.com``: ``latimes.com``, Los Angeles's clock); ``None`` when none is listed."""
    if not url or not OUTLET_ZONES:
        return None
    labels = (urlsplit(url if "//" in url else f"//{url}").hostname or "").split(".")
    for start in range(len(labels) - 1):
        zone = OUTLET_ZONES.get(".".join(labels[start:]))
        if zone is not None:
            return zone
    return None


#: a zone's abbreviation ending a timestamp, after its clock (`10:30 IST`, `10:30 AM GST`, `(CET)`;
#: German writes `Uhr` between them: `14:30 Uhr MEZ`; am or pm may be joined to the clock, `6:15am EST`)
#: (Arabic writes its `ص`, a.m., or `م`, p.m., between them: `01:20 م KSA`)
_ZONE_NAME = re.compile(
    r"(?:\d|(?:\b|(?<=\d))[AaPp]\.?[Mm]\.?|(?<!\w)[صم])(?:\s*Uhr)?\s*\(?(?!(?:AM|PM)\b)(?P<name>[A-ZА-ЯЁ]{2,5})\)?$"
)


#: the zones RFC 822 names (the US's), and the weekday that opens its dates
_RFC822_ZONES = frozenset({"EST", "EDT", "CST", "CDT", "MST", "MDT", "PST", "PDT"})
_RFC822_DAY = re.compile(r"^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun),\s")


def zone_named(name: str, country: str | None = None) -> tzinfo | None:
    """The zone an abbreviation written after a clock stands for (``GST``: UTC+4), or ``None``.

    An abbreviation of zones in several countries (``IST``: India, Israel, Ireland) is read as
    the zone of ``country`` (the outlet's) when it is one of them, else not at all.
    """
    if name in ZONES:
        return ZONES[name]
    return ZONES_BY_COUNTRY.get(name, {}).get(country or "")


def month_number(name: str, country: str | None = None) -> int | None:
    """Month number from a number or a month's name in any language of `_MONTH_SPECS` (`03`,
    `Mar`, `mars`, `décembre`); a name that is another month in another language is read in an
    official language of the outlet's ``country`` (CLDR's) that writes it, else in the first
    language listed (`listopada` is November, in Croatia October)."""
    name = name.strip().lower().rstrip(".")
    if name.isdigit():
        value = int(name)
        return value if 1 <= value <= 12 else None
    numbers = _MONTHS_BY_LANGUAGE.get(name)
    if numbers and country:
        for language in official_languages(country):
            if language in numbers:
                return numbers[language]
    return MONTHS.get(name)


def _aware(value: datetime, default_tz: tzinfo) -> datetime:
    if value.tzinfo is None:
        value = value.replace(tzinfo=default_tz)
    return value.astimezone(UTC)


def _safe(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime | None:
    try:
        return datetime(year, month, day, hour, minute)
    except ValueError:
        return None


def parse_datetime(
    value: object,
    *,
    default_tz: tzinfo = UTC,
    country: str | None = None,
    url: str | None = None,
    outlet_clock: bool = True,
) -> datetime | None:
    """Parse one timestamp as found in a record; ``None`` when it cannot be read.

    ``country`` is the outlet's (ISO alpha-2): it says which zone a shared abbreviation such as
    ``IST`` means, whether ``12/02/2026`` is 2 December (month first, US press) or 12 February,
    and, for a country of one clock (:func:`local_zone`), which zone a clock written without one
    reads (a German paper's ``13:05`` is Berlin's, a Moroccan one's Casablanca's; read in
    ``default_tz``, UTC, the date of an article written an hour ago lay in the future and was
    dropped); ``url``, the article's, names an outlet whose clock is not its country's
    (:func:`outlet_zone`: the Los Angeles Times writes Pacific time, the US national press Eastern);
    with ``outlet_clock`` off, such a clock reads ``default_tz`` (a zone the user named).
    A date without a clock stays at midnight in ``default_tz``, so that it keeps its day.
    """
    return _parse(value, default_tz, outlet_clock_zone(url, country, default_tz, outlet_clock), country)


def outlet_clock_zone(url: str | None, country: str | None, default_tz: tzinfo, outlet_clock: bool = True) -> tzinfo:
    """The zone a clock written without one reads in: the outlet's own (:func:`outlet_zone`), else
    its country's (:func:`local_zone`), else ``default_tz``; ``default_tz`` always with
    ``outlet_clock`` off (a zone the user named)."""
    return ((outlet_zone(url) or local_zone(country)) if outlet_clock else None) or default_tz


#: an offset written after `GMT` or `UTC`, in brackets or not (`GMT+1`, `(UTC+01:00)`, `UTC-3`): ahead
#: of UTC when `+`, as the press means it (dateutil reads `GMT+1` as POSIX zones are written, an hour
#: behind: 10:45 GMT+1 was 11:45 UTC, not 09:45)
_NAMED_OFFSET = re.compile(r"\(?\s*\b(?:GMT|UTC|UT)\s*([+-])\s*([01]?\d)(?::?([0-5]\d))?\b\s*\)?")


def _plain_offset(match: re.Match[str]) -> str:
    return f" {match[1]}{int(match[2]):02d}:{match[3] or '00'}"


def _parse(value: object, default_tz: tzinfo, clock_tz: tzinfo, country: str | None) -> datetime | None:
    """``parse_datetime``, a clock without a zone read in ``clock_tz``."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        # a clock without a zone (a spreadsheet's cell, a naive timestamp) reads as a string's does:
        # in the outlet's clock; midnight alone is a day, kept in ``default_tz``
        return _aware(value, clock_tz if value.tzinfo is None and value.time() != time() else default_tz)
    if isinstance(value, date):
        return _aware(datetime.combine(value, time()), default_tz)
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return _from_epoch(float(value))
    if not isinstance(value, str):
        return None
    text = value.strip().translate(_DIGITS)
    if _CJK_MARKERS.search(text):
        text = _cjk_dates(text)
    if _CALENDAR_MARKERS.search(text):
        text = _other_calendars(text)
    if "14" in text and _HIJRI.search(text):
        text = _HIJRI.sub("", text).strip(" -–|،,")
    if not text:
        return None
    if "GMT" in text or "UT" in text:
        text = _NAMED_OFFSET.sub(_plain_offset, text).strip()
    if _EPOCH.match(text):
        return _from_epoch(float(text))
    ymd = _NUMERIC_YMD.match(text) if "." in text[10:] else None
    # (Python's ISO reader and dateutil read `2026-12-02 08.14`'s `.14` as a fraction of a second)
    if ymd and _DOTTED_CLOCK.match(ymd["rest"]):
        found = _safe(int(ymd["year"]), int(ymd["month"]), int(ymd["day"]))
        return _with_clock(found, ymd["rest"], default_tz, clock_tz) if found else None
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        pass
    else:  # a day without a clock: `2026-12-02`, or htmldate's `2026-12-02T00:00:00`
        return _aware(parsed, clock_tz if len(text) > 10 and parsed.time() != time() else default_tz)
    phrase = _ZONE_PHRASE.search(text) if _ZONE_PHRASE is not None and "توقيت" in text else None
    if phrase:  # a zone in words (`02:05 م (توقيت مكة)`): the default of what comes before it
        return _parse(text[: phrase.start()], default_tz, ZONE_PHRASES[phrase["phrase"]], country)
    named = _ZONE_NAME.search(text)
    zone = zone_named(named["name"], country) if named else None
    if named and (zone is not None or not (named["name"] in _RFC822_ZONES and _RFC822_DAY.match(text))):
        # the zone written by name is the default of what comes before it (an offset wins); an
        # RFC 822 date's US zones (`Tue, 10 Jun 2003 04:00:00 PST`) are the standard's, read below
        body = text[: named.start("name")].rstrip(" (")
        return _parse(body, zone or default_tz, zone or clock_tz, country)
    if "," in text[:5] or re.search(r"\d\d:\d\d(:\d\d)?\s+(?:[+-]\d{4}|GMT|UT|UTC|[A-Z]{3})$", text):
        try:
            return _aware(parsedate_to_datetime(text), clock_tz)
        except (TypeError, ValueError, IndexError):
            pass
    month_first = country in MONTH_FIRST
    if ". " in text[:7]:
        text = _SPACED_DMY.sub(r"\1.\2.\3", text, count=1)
    match = _NUMERIC_DMY.match(text) or _NUMERIC_DMY.match(_BEFORE_NUMERIC.sub("", text, count=1))
    if match:
        day, month = (match["month"], match["day"]) if month_first else (match["day"], match["month"])
        year = int(match["year"])
        if len(match["year"]) == 2:  # (as strptime's %y: 00-68 are 2000-2068, 69-99 1969-1999)
            year += 2000 if year < 69 else 1900
        found = _safe(year, int(month), int(day))
        return _with_clock(found, match["rest"] or "", default_tz, clock_tz) if found else None
    for pattern in (_WORDY, _WORDY_EN, _WORDY_YEAR_FIRST, *_WORDY_BALTIC):
        match = pattern.search(text)
        if match:
            found = _safe(int(match["year"]), month_number(match["month"], country) or 0, int(match["day"]))
            rest = text[match.end() :]
            before = _CLOCK_FIRST.match(text[: match.start()])
            if found and before and not _CLOCK.match(rest):  # the clock before the date (`21:17, 1 декабря 2026`)
                # read after the date, where a zone's name after it is read (`6:05 AM EST, December 2, 2026`)
                return _parse(f"{match[0]} {before['clock']}", default_tz, clock_tz, country)
            return _with_clock(found, rest, default_tz, clock_tz) if found else None
    try:  # a year first is never followed by the day (2025/12/02), whatever dateutil's dayfirst says
        # (twice, from two defaults: a year, month or day the text does not write would be taken
        # from the default, today's unless given, and the date would change with the day it is read)
        parsed, check = (
            du_parser.parse(
                text,
                default=default,
                dayfirst=not (_YEAR_FIRST.match(text) or month_first),
                yearfirst=True,
                fuzzy=False,
            )
            for default in _PROBES
        )
    except (ValueError, OverflowError, TypeError):
        # a date written year first, then words (`2026-12-02 10:30 来源：新华社`, `2026.12.02 15:20 by`)
        match = _NUMERIC_YMD.match(text)
        found = match and _safe(int(match["year"]), int(match["month"]), int(match["day"]))
        return _with_clock(found, match["rest"], default_tz, clock_tz) if match and found else None
    return _aware(parsed, clock_tz if ":" in text else default_tz) if parsed.date() == check.date() else None


#: a clock written before the date, alone (Russian sites: `21:17, 1 декабря 2026`; SCMP's `9:30am, 2 Dec 2026`),
#: with its zone's name and the weekday (AP's `6:05 AM EST, December 2, 2026`, CNN's `7:30 AM EST, Wed
#: December 2, 2026`, the Daily Mail's `10:42 GMT, 2 December 2026`)
_CLOCK_FIRST = re.compile(
    rf"^\s*(?P<clock>[0-2]?\d:[0-5]\d(?:\s*[AaPp]\.?[Mm]\b\.?)?(?:\s+[A-Z]{{2,5}})?)\s*,?\s*(?:(?:{_DAYS})\.?,?\s*)?$",
    re.IGNORECASE,
)

#: a clock in brackets after the date, alone (`2026.12.02 (11:05)`)
_BRACKETED = re.compile(r"^\s*[(（]\s*(?P<clock>[0-2]?\d:[0-5]\d)\s*[)）]\s*$")
#: a Chinese page's source after the date on its line (`2026-12-02 18:25:36  来源：新华社`)
_SOURCE_FIELD = re.compile(r"\s+(?:来源|來源|出处|出處)\s*[:：].*$")

#: two defaults differing in year, month and day, telling which a text leaves out (see above)
_PROBES = (datetime(2000, 1, 1), datetime(2001, 2, 2))


def _with_clock(day: datetime, rest: str, default_tz: tzinfo, clock_tz: tzinfo) -> datetime:
    """A date at the time written after it (``rest``), in its zone when one is written, else in
    ``clock_tz``; without a time, midnight in ``default_tz``."""
    clock = _CLOCK.match(rest)
    if not clock and (bracketed := _BRACKETED.match(rest)):  # (KBS's `2026.12.02 (11:05)`)
        clock = _CLOCK.match(bracketed["clock"])
    if not clock:
        return _aware(day, default_tz)
    hour = int(clock["hour"])
    half = clock["half"] or (clock["half_ar"] and ("p" if clock["half_ar"].startswith("م") else "a"))
    if half:  # 12 a.m. is midnight, 12 p.m. noon (Arabic: `ص`, morning, `م`, evening)
        hour = hour % 12 + (12 if half.lower() == "p" else 0)
    if hour > 23:
        return _aware(day, default_tz)
    fraction = int((clock["fraction"] or "0").ljust(6, "0"))
    found = day.replace(
        hour=hour, minute=int(clock["minute"] or 0), second=int(clock["second"] or 0), microsecond=fraction
    )
    zone: tzinfo = clock_tz
    if clock["utc"]:
        zone = UTC
    elif clock["offset"]:
        sign, digits = clock["offset"][0], clock["offset"][1:].replace(":", "")
        hours, minutes = (int(digits[:-2] or 0), int(digits[-2:])) if len(digits) > 2 else (int(digits), 0)
        offset = timedelta(hours=hours, minutes=minutes)
        if offset >= timedelta(hours=15):
            return _aware(found, default_tz)
        zone = timezone(-offset if sign == "-" else offset)
    return _aware(found.replace(tzinfo=zone), default_tz)


def _from_epoch(seconds: float) -> datetime | None:
    if seconds > 1e11:  # milliseconds
        seconds /= 1000
    try:
        return datetime.fromtimestamp(seconds, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None


# --- dates written in the text or the URL ------------------------------------------------------

_CUE = re.compile(
    r"(?:publi[ée]e?|mis en ligne|posted|published|date de publication|publicado|pubblicato|ver[öo]ffentlicht"
    r"|publiziert|erschienen|gepubliceerd|تاريخ النشر|نشر في|نشر بتاريخ"
    r"|опубликовано|время публикации|дата публикации|опубліковано|дата публікації|№\s*\d+\s+от"
    # Turkish, Polish, Indonesian (`Giriş Tarihi: 2 Aralık 2026 11:15`, `Opublikowano: 2.12.2026, 13:05`)
    r"|giriş tarihi|yayınlanma tarihi|yayın tarihi|yayınlanma|opublikowano|publikacja|data publikacji"
    r"|diterbitkan|dipublikasikan"
    # Swahili (`Imechapishwa: Desemba 2, 2026 saa 10:30`, published)
    r"|imechapishwa|ilichapishwa"
    # Tagalog, Vietnamese (GMA's `Inilathala Disyembre 2, 2026 1:15pm`, `Ngày đăng: 02/12/2026`)
    r"|inilathala|nailathala|ngày đăng|đăng ngày|đăng lúc"
    # Swedish, Danish, Norwegian, Finnish, Greek, Czech, Hungarian, Romanian (`Publicerad 2026-12-02
    # 08.14`, `Publisert: 02.12.2026 09:12`, `Julkaistu 2.12.2026 9:30`, `Data publicării: 02-12-2026`)
    r"|publicerad|publiceret|publisert|julkaistu|δημοσίευση|δημοσιεύθηκε|publikováno|publikálva|megjelent"
    r"|data publicării|data publicarii|publicat"
    # Chinese, Japanese and Korean (`发布时间：2026-12-02 10:30 来源：新华社`, `입력 2026.12.02 오후 3:20`)
    r"|发布时间|發布時間|發佈時間|发布日期|發布日期|发表时间|發表時間|公開日時?|配信日時?|掲載日時?|기사\s*입력|입력|등록|작성일"
    r"|تاریخ انتشار|زمان انتشار|منتشر شده|انتشار(?=\s*:)|เผยแพร่"
    # Hindi, Bengali, Urdu (`प्रकाशित: २ दिसंबर २०२६, ०९:३०`, `প্রকাশ: ০২ ডিসেম্বর ২০২৬, ১১: ৩০`)
    r"|प्रकाशित|प्रकाशन तिथि|প্রকাশিত|প্রকাশ|شائع شدہ|اشاعت"
    # Hebrew (Ynet's `פורסם: 02.12.26, 08:15`)
    r"|פורסם|תאריך פרסום"
    # Croatian, Serbian, Bosnian, Slovenian, Bulgarian, Macedonian, Albanian, Lithuanian, Latvian,
    # Estonian (`Objavljeno: 2. prosinca 2026. u 09:15`, `Објављено:`, `Publikuar më`, `Avaldatud`)
    r"|objavljeno|објављено|objavljen|објавено|objava|публикувано|публикуван|publikuar më|publikuar"
    r"|paskelbta|publicēts|avaldatud|datum objave)"
    r"\s*(?:le|on|el|em|il|am|op|في|:|：)?\s*[:：]?\s*(?P<rest>.{6,60})",
)
#: the cues of an update's date: read when the text gives no publication date (a page writing
#: both, `02/12/2026 ore 10:30` then `Ultimo aggiornamento: 02/12/2026 - 11:05`, was published at
#: the first)
_UPDATE_CUE = re.compile(
    r"(?:mise? à jour|actualis[ée]e?|updated?|actualizado|atualizado|aggiornato|ultimo aggiornamento"
    r"|aktualisiert|stand(?=\s*:)|bijgewerkt|آخر تحديث|обновлено|оновлено"
    r"|son güncelleme|güncellenme tarihi|güncelleme|aktualizacja|zaktualizowano|diperbarui"
    r"|更新时间|更新時間|更新日時?|최종\s*수정|수정|업데이트"
    # Hindi, Bengali, Urdu (Dainik Jagran's `अपडेटेड: बुध, 02 दिसंबर 2026 03:45 PM (IST)`)
    r"|अपडेटेड|अपडेट|আপডেট|اپ ڈیٹ|imesasishwa"
    # Persian and Hebrew (`آخرین به‌روزرسانی`, `עודכן: 02.12.26, 11:30`)
    r"|به‌روزرسانی|بروزرسانی|به روز رسانی|עודכן|עדכון אחרון"
    # Malay, Vietnamese, Tagalog, Thai (`Dikemaskini`, `Cập nhật`, `Na-update`, `อัปเดต`)
    r"|dikemaskini|dikemas kini|cập nhật|na-update|อัปเดต"
    # Swedish, Danish, Norwegian, Finnish, Greek, Czech, Hungarian, Romanian
    r"|uppdaterad|opdateret|oppdatert|päivitetty|ενημέρωση|ενημερώθηκε|aktualizováno|aktualizace|frissítve"
    r"|data actualizării|data actualizarii|actualizat"
    r"|ažurirano|ажурирано|posodobljeno|актуализирано|обновено|ажурирано|përditësuar|përditësimi"
    r"|atnaujinta|atjaunots|uuendatud)"
    r"\s*(?:le|on|el|em|il|am|op|في|:|：)?\s*[:：]?\s*(?P<rest>.{6,60})",
)
#: every capital letter as its small letter, one letter for one (so that a match's place in the
#: lowered text is its place in the text), Turkish `İ` and `ı` as `i`, as matching ignoring case
#: reads them: the cue patterns, written in small letters (and `ı` as `i`), are matched in a text
#: lowered so, which is twice as fast as matching them ignoring case
_LOWER = str.maketrans(
    {
        code: ord(small)
        for code in range(0x41, 0x10000)
        if not 0xD800 <= code < 0xE000 and len(small := chr(code).lower()) == 1 and small != chr(code)
    }
    | {0x130: "i", 0x131: "i", 0x17F: "s"}
)


def _lowered(text: str) -> str:
    """``text.translate(_LOWER)``, through ``str.lower`` where that is the same (a text without `İ`,
    which it makes two characters, nor `ı` or `ſ`, which it keeps; letters outside the Basic
    Multilingual Plane, lowered too, are in no cue): 2 against 53 µs for 800 characters."""
    if "\u0130" in text or "\u0131" in text or "\u017f" in text:
        return text.translate(_LOWER)
    return text.lower()


_CUE = re.compile(_CUE.pattern.replace("ı", "i"))
#: the word before an update's cue (`Last update on:`, `Latest update`), and what parts them from the date
_LAST = re.compile(r"[\s|,;•·–—-]*(?:\b(?:last|latest|dernière|ultima|última)\s*)?$", re.IGNORECASE)
_UPDATE_CUE = re.compile(_UPDATE_CUE.pattern.replace("ı", "i"))


def _cues(pattern: re.Pattern[str], zone: str) -> Iterator[str]:
    """What follows each of ``pattern``'s cues in ``zone`` (up to the line's end), whatever their case."""
    for match in pattern.finditer(_lowered(zone)):
        yield zone[match.start("rest") : match.end("rest")].split("\n")[0]


_RELATIVE = re.compile(
    r"\b(?:il y a|voici|depuis)\s+(?P<n>\d+|une?|quelques)\s+"
    r"(?P<unit>min(?:ute)?s?|h(?:eures?)?|jours?|semaines?|mois)\b"
    r"|\b(?P<n_en>\d+|an?|a few)\s+(?P<unit_en>min(?:ute)?s?|hours?|hrs?|days?|weeks?|months?)\s+ago\b"
    # Spanish, Portuguese, German, Arabic before the count; Italian, Dutch after it
    r"|(?:\b(?:hace|há|vor)|منذ|قبل)\s+(?P<n_before>\d+|una?|um|uma|einer?|einem)?\s*"
    r"(?P<unit_before>minutos?|min|horas?|d[íi]as?|semanas?|meses|mes|m[êe]s|minuten?|stunden?|tagen?|wochen?"
    r"|monaten?|دقائق|دقيقة|ساعات|ساعة|أيام|يوم|أسابيع|أسبوع|أشهر|شهر)(?!\w)"
    r"|\b(?P<n_after>\d+|un|una|een)\s+(?P<unit_after>minuti|minuto|ore|ora|giorni|giorno|settimane|settimana"
    r"|mesi|mese|minuten|minuut|uur|dagen|dag|weken|week|maanden|maand)\s+(?:fa|geleden)\b"
    r"|\b(?P<word>avant-hier|hier|aujourd'hui|aujourd’hui|yesterday|today|anteayer|ayer|hoy|anteontem|ontem|hoje"
    r"|ieri|oggi|vorgestern|gestern|heute|eergisteren|gisteren|vandaag|позавчера|вчера|сегодня|позавчора|вчора"
    r"|сьогодні)\b|(?P<word_ar>أمس|امس|اليوم)(?!\w)",
    re.IGNORECASE,
)
#: What a relative date's word means, in days before the reference (0: that day).
_DAYS_BEFORE = {
    "aujourd'hui": 0, "today": 0, "hoy": 0, "hoje": 0, "oggi": 0, "heute": 0, "vandaag": 0, "اليوم": 0,
    "hier": 1, "yesterday": 1, "ayer": 1, "ontem": 1, "ieri": 1, "gestern": 1, "gisteren": 1, "أمس": 1, "امس": 1,
    "avant-hier": 2, "anteayer": 2, "anteontem": 2, "vorgestern": 2, "eergisteren": 2,
    "сегодня": 0, "сьогодні": 0, "вчера": 1, "вчора": 1, "позавчера": 2, "позавчора": 2,
}  # fmt: skip
#: a line holding only a date (German pages write the clock `14.30 Uhr`, and may follow it with a
#: bullet and the issue: `02.12.2026, 14.30 Uhr • aus DER SPIEGEL 49/2026`), or a byline and a date
_DATE_LINE = re.compile(
    # a byline may come first, capitalised names (TSA's `Par Hamid Mohandi 02 Déc. 2026 à 12:04`)
    r"^\W*(?:(?:par|by|von|di|door)\s+(?:(?-i:[A-ZÀ-Ý])[\w'’.-]+,?\s+){1,4}(?:[,|-]\s*)?)?"
    # or a section's label and `of` (GhanaWeb's `Business News of Tuesday, 2 December 2026`)
    r"(?:(?-i:[A-Z])[^\W\d_]+(?:\s+[^\W\d_]+){0,2}\s+of\s+)?"
    # (a word before the date: a weekday, a place, a site's name with its dots, Kompas's `Kompas.com -
    # 02/12/2026, 10:30 WIB`; or a paper's name of up to four words and a comma, as a compilation
    # of articles writes it under each headline: `L'Economiste, 15 mars 2024`, `Jeune Afrique, …`)
    r"(?:(?:le|on|el|em|il|am|op)\s+)?(?P<date>(?:[0-2]?\d:[0-5]\d(?:\s*[ap]\.?m\.?)?,?\s+)?"
    # a weekday of two words (Vietnamese `Thứ tư, 2/12/2026`, Hebrew `יום רביעי, 2 בדצמבר 2026`)
    + rf"(?:(?:{_DAYS})\.?[,،]?\s+)?"
    + r"(?:[\w-]+(?:\.[\w-]+)*\.?[,،]?\s+(?:-\s+)?|(?-i:[A-ZÀ-Ý])[\w'’-]*(?:\s+[\w'’-]+){0,3}\s*,\s+)?"
    # the day first, the month a number or a word (Arabic: the Levant's `كانون الأول`); the year
    # first (`2026/12/02`, Algerian and Gulf sites); English month first: `December 2, 2026`
    # (Nigerian, Kenyan, Indian, Philippine press)
    # (a month's name may hold combining marks, Hindi `दिसंबर`, Bengali `ডিসেম্বর`, and an Arabic
    # comma may come after it, Jang's `۰۲ دسمبر ، ۲۰۲۶`)
    r"(?:\d{1,2}(?:er|º|°|st|nd|rd|th)?[\s/.-]+(?:de\s+)?(?:\d{1,2}|"
    rf"[^\W\d_](?:[^\W\d_]|[{MARKS}]){{2,11}}(?:\s+(?:الأول|الثاني))?\.?)\s*[,،]?"
    r"[\s/.-]+(?:de\s+)?\d{4}"
    r"|\d{4}[/.-]\d{1,2}[/.-]\d{1,2}\.?"
    # a numeric date of a two-digit year (Het Laatste Nieuws's `02-12-26, 11:48`)
    r"|[0-3]?\d(?P<short>[/.-])[01]?\d(?P=short)\d\d(?!\d)"
    r"|[^\W\d_]{3,10}\.?\s+\d{1,2}(?:st|nd|rd|th)?(?:,\s*|\s+)\d{4}"
    # Latvian and Lithuanian, the year first (`2026. gada 2. decembris`, `2026 m. gruodžio 2 d.`)
    r"|\d{4}\.\s*gada\s+\d{1,2}\.\s*[^\W\d_]{3,12}|\d{4}\s*m\.\s*[^\W\d_]{3,12}\s+\d{1,2}\s*d\.)"
    # the year's word: Russian `2026 г.`, Ukrainian `2026 р.`, Arabic `م` (of the Gregorian era)
    r"(?:\s*(?:г\.|года|р\.|року|مـ?)(?!\w)|(?<=\d)\.(?=\s))?"  # (or its dot: Croatian `2. prosinca 2026.`)
    # the time: `à 10h30`, `a las 10:30`, Italian `ore 10:30`, `alle ore 10.30`, German `14.30 Uhr`,
    # English `10:32 am` and a zone's name after it (`10:15 IST`), Arabic `على الساعة 09:40`, `12:30 م`
    # (p.m.) and a zone in words (`بتوقيت غرينتش`); after a dash or a bar (`2-12-2026 | 11:45`)
    r"(?:\s*(?:[,،|•/–—@-]\s*)?(?:à|a|at|a las|às|alle ore|alle|ore|um|om|kl\.|klo|lúc|saa|على الساعة|الساعة|ساعت"
    r"|u|у|ob|plkst\.|kell)?\s*"
    r"\d{1,2}\s*(?:[h:]\s*\d{0,2}(?::\d\d)?|\.\d\d)(?:\s*uhr)?(?:\s*(?:[ap]\.?\s?m\b\.?|ص|م)(?!\w))?"
    r"(?:\s+(?-i:[A-Z]{2,5})\b(?:[+-]\d{1,2}(?::?\d\d)?)?|\s+ب?توقيت(?:\s+[^\W\d_]+){1,2})?)?)"
    # after it, a bullet and the issue, or its update in brackets (`(обновлено: 02.12.2026 15:10)`),
    # or a paper's issue number (Asharq Al-Awsat's `رقم العدد [ 17180 ]`), or a comma and the paper's
    # or the place's name, capitalised words (The Times's `Wednesday December 02 2026, 7.30am GMT, The Times`)
    r"(?:\s*[•|·]\s*[^\n•|·]{1,40}|\s*\([^()\n]{1,50}\)|\s*رقم العدد\s*\[?\s*\d+\s*\]?"
    r"|\s*,\s*(?-i:[A-Z])[\w'’.-]*(?:\s+(?-i:[A-Z])[\w'’.-]*){0,3}"
    # or the page's counters of comments and views (Daily Mirror's `2 December 2026 10:51 am - 0 - 1245`)
    r"|(?:\s+-\s+\d+){1,3}"
    # or the section and the author, as WordPress themes write them (Vanguard's `On December 1,
    # 2026 7:15 pm In News by Dayo Johnson`)
    r"|\s+(?:in\s+(?-i:[A-Z])[\w&'’.-]*(?:\s+(?-i:[A-Z])[\w&'’.-]*){0,2}\s+)?by\s+(?-i:[A-Z])[\w'’.-]*(?:\s+(?-i:[A-Z])[\w'’.-]*){0,3})?\W*$",
    re.IGNORECASE,
)
#: a line holding a clock alone, under a date line (`12:40 م`, `10:30`, `2:15 PM`), and its zone's
#: name (`3:45 PM MYT`)
_CLOCK_LINE = re.compile(
    r"^\W*[0-2]?\d[:.][0-5]\d(?:\s*(?:[ap]\.?\s?m\.?|ص|م))?(?:\s+(?-i:[A-Z]{2,5}))?\W*$", re.IGNORECASE
)
#: an agency dateline opening the text: the place, the date, the agency, a dash (`Bamako, 2 déc.
#: 2026 (AMAP) - Le gouvernement...`)
_DATELINE = re.compile(
    r"^\W*[^\W\d_][^\W\d_'’-]*(?:[ '’-][^\W\d_]+){0,3}\s*,\s*"
    r"(?P<date>(?:le\s+)?(?:[^\W\d_]+\.?,?\s+)?\d[^\n()–—]{0,30}?)\s*"
    r"(?:\([^()\n]{1,30}\)\s*)?[-–—]"
)
#: a date written without its year, opening what a cue, a dateline or a line of its own gives
#: (`2 décembre à 10h30`, `Dec 2`, `2 дек`, `mardi 2 décembre`, `2. Dezember`, `2 de diciembre`)
_YEARLESS_DAY_FIRST = re.compile(rf"^(?:le\s+)?(?:(?:{_DAYS})\.?,?\s+)?{_DAY_MONTH}(?:\.|(?![^\W\d_]))", re.IGNORECASE)
_YEARLESS_MONTH_FIRST = re.compile(rf"^(?:on\s+)?(?:(?:{_DAYS})\.?,?\s+)?{_MONTH_DAY}(?!\d)", re.IGNORECASE)

#: what parts the fields of a line of them: a bar, a slash between spaces
_FIELDS = re.compile(r"\s*\|\s*|\s+/\s+")
_URL_DATE = re.compile(
    r"/(?P<year>(?:19|20)\d\d)[/-](?P<month>0?[1-9]|1[0-2])[/-](?P<day>0?[1-9]|[12]\d|3[01])(?:/|-|$)"
)
_UNIT_SECONDS = {
    "min": 60,
    "h": 3600,
    "hou": 3600,
    "hr": 3600,
    "heu": 3600,
    "jou": 86400,
    "day": 86400,
    "sem": 604800,
    "wee": 604800,
    "moi": 2592000,
    "mon": 2592000,
    # Spanish, Portuguese, Italian, German, Dutch, Arabic
    "hor": 3600,
    "ora": 3600,
    "ore": 3600,
    "stu": 3600,
    "uur": 3600,
    "día": 86400,
    "dia": 86400,
    "gio": 86400,
    "tag": 86400,
    "dag": 86400,
    "set": 604800,
    "woc": 604800,
    "mes": 2592000,
    "mês": 2592000,
    "maa": 2592000,
    "دقي": 60,
    "دقا": 60,
    "ساع": 3600,
    "يوم": 86400,
    "أيا": 86400,
    "أسب": 604800,
    "شهر": 2592000,
    "أشه": 2592000,
}


def _unit_seconds(unit: str) -> int:
    unit = unit.lower()
    for prefix, seconds in _UNIT_SECONDS.items():
        if unit.startswith(prefix):
            return seconds
    return 3600 if unit == "h" else 0


def _count(value: str) -> int:
    value = value.lower()
    if value.isdigit():
        return int(value)
    return 3 if value in ("quelques", "a few") else 1  # (une, an, una, um, einer, een...: one)


#: the units of CLDR's relative forms, in seconds (a month as 30 days)
_CLDR_UNITS = {"minute": 60, "hour": 3600, "day": 86400, "week": 604800, "month": 2592000}
#: CLDR's locale of a language whose ISO 639-1 code it does not use
_CLDR_LOCALES = {"tl": "fil"}
#: scripts written without spaces: a relative form in them needs no word's edge (`3小时前发布`)
_UNSPACED_LETTER = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\u0e00-\u0e7f]")
_NUMBER = re.compile(r"\d+")


class _Form(NamedTuple):
    """CLDR's form of a time past around its number (`il y a` and `heures`; `` and `hours
    ago`), lower case, its spaces single; whether each side must end at a word's edge."""

    before: str
    after: str
    seconds: int
    edge_before: bool
    edge_after: bool


@cache
def _cldr_forms() -> dict[str, tuple[_Form, ...]]:
    """CLDR's forms of a time past (`il y a 3 heures`, `saa 2 zilizopita`, `3 घंटे पहले`, `5分前`,
    `3시간 전`) of the languages of the file's ``relative_languages`` (through babel), by the first
    letter of what follows the number (longest forms first)."""
    from babel import Locale, UnknownLocaleError

    forms: set[_Form] = set()
    for code in _DATES_DATA.get("relative_languages", []):
        try:
            fields = Locale.parse(_CLDR_LOCALES.get(code, code))._data["date_fields"]
        except (UnknownLocaleError, ValueError) as exc:
            raise ValueError(f"{DATES_FILE}: relative_languages: {code!r} is no language CLDR knows") from exc
        for unit, seconds in _CLDR_UNITS.items():
            for form in fields[unit]["past"].values():
                if form.count("{0}") != 1 or "(" in form:
                    continue  # (a form without its number: Arabic's dual; Hebrew's `לפני שעה ({0})`)
                before, after = (" ".join(part.split()).lower() for part in form.split("{0}"))
                forms.add(
                    _Form(
                        before,
                        after,
                        seconds,
                        bool(before) and before[0].isalpha() and not _UNSPACED_LETTER.match(before[0]),
                        bool(after) and after[-1].isalpha() and not _UNSPACED_LETTER.match(after[-1]),
                    )
                )
    by_first: dict[str, list[_Form]] = {}
    for form in sorted(forms, key=lambda f: (-len(f.before) - len(f.after), f)):
        by_first.setdefault(form.after[:1], []).append(form)
    return {first: tuple(found) for first, found in by_first.items()}


def _cldr_date(zone: str, reference: datetime, stop: int) -> datetime | None:
    """The time a CLDR form of a time past (:func:`_cldr_forms`) written in ``zone[:stop]`` gives,
    the first one: ``reference`` less that time."""
    forms = _cldr_forms()
    if not forms:
        return None
    for number in _NUMBER.finditer(zone, 0, stop):
        head = " ".join(zone[max(0, number.start() - 40) : number.start()].split()).lower()
        tail = " ".join(zone[number.end() : number.end() + 40].split()).lower()
        for form in (*forms.get(tail[:1], ()), *forms.get("", ())):
            if not (head.endswith(form.before) and tail.startswith(form.after)):
                continue
            cut = len(head) - len(form.before) - 1
            if form.edge_before and cut >= 0 and (head[cut].isalnum() or head[cut] == "_"):
                continue
            following = tail[len(form.after) : len(form.after) + 1]
            if form.edge_after and (following.isalnum() or following == "_"):
                continue
            return reference - timedelta(seconds=int(number[0]) * form.seconds)
    return None


def _relative_date(zone: str, reference: datetime) -> datetime | None:
    """The date a relative form in ``zone`` gives, the first one written: the forms of
    :data:`_RELATIVE` (with the words for today and yesterday) or CLDR's (a count of units past)."""
    match = _RELATIVE.search(zone)
    found = _cldr_date(zone, reference, match.start() if match else len(zone))
    if found is not None:
        return found
    if match is None:
        return None
    word = (match["word"] or match["word_ar"] or "").lower().replace("’", "'")
    if word in _DAYS_BEFORE:
        day = reference - timedelta(days=_DAYS_BEFORE[word])
        # the clock after the day, if any (`Hier à 14h30`, `yesterday at 2:30 pm`, `gestern, 14:30`)
        clock = _CLOCK.match(zone[match.end() :])
        hour, minute = (int(clock["hour"]), int(clock["minute"] or 0)) if clock else (0, 0)
        half = (clock["half"] or "").lower() if clock else ""
        if half == "p" and hour < 12:
            hour += 12
        elif half == "a" and hour == 12:
            hour = 0
        if hour > 23:
            hour, minute = 0, 0
        return day.replace(hour=hour, minute=minute, second=0, microsecond=0)
    n, unit = next(
        (match[f"n{suffix}"] or "1", match[f"unit{suffix}"])
        for suffix in ("", "_en", "_before", "_after")
        if match[f"unit{suffix}"]
    )
    seconds = _unit_seconds(unit)
    return reference - timedelta(seconds=_count(n) * seconds) if seconds else None


#: the longest value read as a relative date by :func:`relative_datetime` (a listing's `il y a 2
#: heures`, `Hier à 14h30`, `3 hours ago`; not a sentence that holds one)
RELATIVE_VALUE_CHARS = 40


def relative_datetime(value: object, reference: datetime | None, zone: tzinfo | None = None) -> datetime | None:
    """The time a record's relative date (`il y a 2 heures`, `3 hours ago`, `hier`, `منذ 3 ساعات`,
    `5分前`) gives before ``reference``, the time the page was fetched; ``None`` for anything else,
    or without ``reference``. A day (`hier`) is that day at the clock written after it (`hier à
    14h30`), else at midnight, in ``zone`` (the outlet's clock; ``reference``'s zone without it)."""
    if reference is None or not isinstance(value, str) or len(value.strip()) > RELATIVE_VALUE_CHARS:
        return None
    return _relative_in(" ".join(value.split()), reference, zone)


def _relative_in(text: str, reference: datetime, zone: tzinfo | None) -> datetime | None:
    """:func:`_relative_date` with the day's clock read in ``zone``, in UTC when a zone is given."""
    if zone is None:
        return _relative_date(text, reference)
    found = _relative_date(text, reference.astimezone(zone))
    return found.astimezone(UTC) if found is not None else None


def date_from_text(
    text: str | None,
    *,
    reference: datetime | None = None,
    default_tz: tzinfo = UTC,
    country: str | None = None,
    url: str | None = None,
    head: int = 800,
    tail: int = 400,
) -> datetime | None:
    """A publication date written near the top or bottom of an article's text.

    Looks for cue phrases (``Publié le 12 février 2025 à 10h30``, ``Mis à jour le 11/02/2025``,
    ``Published on ...``), lines holding only a date, an agency dateline opening the text
    (``Bamako, 2 déc. 2025 (AMAP) - ...``), and relative forms (``il y a 3 heures``,
    ``hier``, ``2 days ago``) which need ``reference`` (the fetch time) and are skipped without it.
    ``country``, the outlet's, and ``url``, the article's, read zone abbreviations, numeric dates
    and clocks as ``parse_datetime``.
    An update's cue (``Mis à jour le``, ``Stand:``) gives the date when nothing else does, and the
    time of a day written alone on the same day.
    """
    if not text:
        return None
    zones = [text[:head], text[-tail:]] if len(text) > head + tail else [text]
    found = _written_date(zones, default_tz, country, url)
    # a day alone (a programme line's `Das Erste | tagesschau | 02.12.2026`, read as midnight in
    # ``default_tz``) takes the time of an update written on that day, the nearest the page gives
    # (tagesschau's `Stand: 02.12.2026 11:30 Uhr`)
    alone = (
        found is not None
        and found.time() == time()
        and found.utcoffset() == datetime(2000, 1, 1, tzinfo=default_tz).utcoffset()
    )
    updated = _updated_date(zones, default_tz, country, url) if found is None or alone else None
    if found is not None:
        if (
            updated is not None
            and updated.time() != time()
            and updated.astimezone(outlet_clock_zone(url, country, default_tz)).date() == found.date()
        ):
            return updated
        return found
    if updated is not None:
        return updated
    if reference is None:
        return None
    clock = outlet_clock_zone(url, country, default_tz)
    for zone in zones:
        relative = _relative_in(zone, reference, clock)
        if relative is not None:
            return relative
    return None


def _cued_date(
    pattern: re.Pattern[str], zone: str, default_tz: tzinfo, country: str | None, url: str | None
) -> datetime | None:
    """The first date one of ``pattern``'s cues gives in ``zone``."""
    for rest in _cues(pattern, zone):
        found = parse_datetime(rest, default_tz=default_tz, country=country, url=url)
        if found is not None:
            return found
    return None


def _updated_date(zones: list[str], default_tz: tzinfo, country: str | None, url: str | None) -> datetime | None:
    """The date an update's cue gives in ``zones`` (`Mis à jour le 11/02/2025`, `Stand: 02.12.2026`)."""
    return next((found for zone in zones if (found := _cued_date(_UPDATE_CUE, zone, default_tz, country, url))), None)


def _written_date(zones: list[str], default_tz: tzinfo, country: str | None, url: str | None) -> datetime | None:
    """The publication date a cue, a line of its own or an agency's dateline gives in ``zones``."""
    for zone in zones:
        found = _cued_date(_CUE, zone, default_tz, country, url)
        if found is not None:
            return found
        # a day alone (`Updated 02 December 2026`) gives way to a date and its clock on that day
        # further down (Arab News's `December 02, 2026 14:26`), or takes the clock on the line under
        # it (Al-Ahram's date line, then `12:40 م`)
        day: datetime | None = None
        lines = zone.split("\n")
        for number, line in enumerate(lines):
            line = _SOURCE_FIELD.sub("", line)
            ascii_digits = line.translate(_DIGITS)  # (a Hijri year in Arabic-Indic digits, `١٤٤٨`, too)
            if _CJK_MARKERS.search(line):  # (`2026年12月2日 10:30`, `오후 3:20`: a date line as any)
                line = _cjk_dates(ascii_digits)
            elif _CALENDAR_MARKERS.search(ascii_digits):  # (`۱۲ آذر ۱۴۰۵`, `2 ธ.ค. 2569`: likewise)
                line = ascii_digits = _other_calendars(ascii_digits)
            if "14" in ascii_digits and _HIJRI.search(ascii_digits):
                line = _HIJRI.sub("", ascii_digits)
            # a line holding only a date, or one of the fields of a line of them (`Politica | di
            # F. Q. | 1 dic 2026`; `Philippine Daily Inquirer / 08:30 AM December 02, 2026`)
            # (the whole line first: `2-12-2026 | 11:45`, `December 2, 2026 | 10:02 am` are a date and its time)
            fields = (line, *_FIELDS.split(line)) if "|" in line or " / " in line else (line,)
            update = _UPDATE_CUE.search(_lowered(line)) if len(line) <= 160 else None
            if update and update.start() > 0:  # (a date, then its update: The Daily Star's `Wed Dec 2,
                # 2026 06:45 PM Last update on: Wed Dec 2, 2026 07:30 PM`; in a field of a line of
                # them too: `Por João Silva | 14/03/2024 às 10h30 - Atualizado há 2 horas`)
                fields += (_LAST.sub("", line[: update.start()]),)
                for field in fields[1:-1]:
                    cue = _UPDATE_CUE.search(_lowered(field))
                    if cue and cue.start() > 0:
                        fields += (_LAST.sub("", field[: cue.start()]),)
            for field in fields:
                only = _DATE_LINE.match(field.strip())
                if only:
                    found = parse_datetime(only["date"], default_tz=default_tz, country=country, url=url)
                    if found is None:
                        continue
                    if found.time() != time():
                        return found if day is None or found.astimezone(day.tzinfo).date() == day.date() else day
                    if day is None:
                        day = found
                        below = lines[number + 1].strip() if number + 1 < len(lines) else ""
                        if _CLOCK_LINE.match(below.translate(_DIGITS)):
                            clocked = parse_datetime(
                                f"{only['date']} {below}", default_tz=default_tz, country=country, url=url
                            )
                            if clocked is not None and clocked.time() != time():
                                return clocked
                    break
        if day is not None:
            return day
        dateline = _DATELINE.match(zone) if zone is zones[0] else None
        if dateline:
            found = parse_datetime(dateline["date"].strip(), default_tz=default_tz, country=country, url=url)
            if found is not None:
                return found
    return None


def date_without_year(
    text: str | None,
    reference: datetime,
    *,
    default_tz: tzinfo = UTC,
    country: str | None = None,
    url: str | None = None,
    head: int = 800,
    tail: int = 400,
) -> datetime | None:
    """A publication date written without its year where :func:`date_from_text` looks for one: after
    a cue (`Publié le 2 décembre à 10h30`), in an agency's dateline (`LAGOS, Dec 2 (Reuters) -`,
    `МОСКВА, 2 дек - РИА Новости`), or as a line of its own (`mardi 2 décembre`). It is put in the
    year that puts it at most a day after ``reference`` (the fetch time): right for a page fetched
    within a year of its publication, wrong for an archive's page fetched later, which is why the
    cleaning stage tries it last, after the URL's date (``published_from`` `text_without_year`)."""
    if not text:
        return None
    zones = [text[:head], text[-tail:]] if len(text) > head + tail else [text]
    for zone in zones:
        candidates = [(rest, False) for rest in _cues(_CUE, zone)]
        dateline = _DATELINE.match(zone) if zone is zones[0] else None
        candidates += [(dateline["date"].strip(), False)] if dateline else []
        candidates += [(line.strip(), True) for line in zone.split("\n") if len(line) <= 60]
        for candidate, alone in candidates:
            found = _without_year(candidate, reference, default_tz, country, url, alone=alone)
            if found is not None:
                return found
    return None


def _without_year(
    text: str, reference: datetime, default_tz: tzinfo, country: str | None, url: str | None, *, alone: bool
) -> datetime | None:
    """The date ``text`` opens with, written without a year, and its clock if one follows; in the
    reference's year, or the year before when that would put it more than a day after the
    reference. ``None`` when ``text`` is not such a date: it holds more than the date and its
    clock (``alone``, a line of its own: `12 décembre – Concert` is an agenda's), or more than
    them before a bracket, a bar or a dash (a cue's or a dateline's date: `2 décembre à 10h30 |
    Par X`); a line of prose opening with a date is none."""
    match = _YEARLESS_DAY_FIRST.match(text) or _YEARLESS_MONTH_FIRST.match(text)
    if match is None:
        return None
    rest = text[match.end() :]
    clock = _CLOCK.match(rest)
    after = rest[clock.end() :] if clock and clock["hour"] else rest
    if after.strip(" .,") and (alone or not re.match(r"^\s*[(\[|•·–—-]", after)):
        return None
    written = f"{match['day']} {match['month']} {{}}{rest[: len(rest) - len(after)]}"
    for year in (reference.year, reference.year - 1):
        found = parse_datetime(written.format(year), default_tz=default_tz, country=country, url=url)
        if found is not None and found <= reference + timedelta(days=1):
            return found
    return None


def date_from_url(url: str | None) -> datetime | None:
    """The date in a URL path such as ``/2019/11/19/slug``, at midnight UTC."""
    if not url:
        return None
    match = _URL_DATE.search(url)
    if not match:
        return None
    return _safe_utc(int(match["year"]), int(match["month"]), int(match["day"]))


def _safe_utc(year: int, month: int, day: int) -> datetime | None:
    found = _safe(year, month, day)
    return found.replace(tzinfo=UTC) if found else None
