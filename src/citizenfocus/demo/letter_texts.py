"""The demo force's letter templates: English, Polish and Urdu (right to left), one per event.

Each text is Jinja as docxtpl reads it in a Word file: {{ crime_reference }} and the
other fields of victims.letters.FIELDS; crime types and key events are translated in
the template itself (a force's translators own the words, not the code).
"""

CRIME_TYPES = {
    "en": {"domestic_burglary": "burglary of your home", "violent_crime": "violent crime",
           "vehicle_crime": "vehicle crime", "hate_crime": "hate crime", "asb": "anti-social behaviour",
           "rtc": "road traffic collision"},
    "pl": {"domestic_burglary": "włamanie do mieszkania", "violent_crime": "przestępstwo z użyciem przemocy",
           "vehicle_crime": "przestępstwo dotyczące pojazdu", "hate_crime": "przestępstwo z nienawiści",
           "asb": "zachowanie aspołeczne", "rtc": "kolizja drogowa"},
    "ur": {"domestic_burglary": "گھر میں نقب زنی", "violent_crime": "پرتشدد جرم",
           "vehicle_crime": "گاڑی سے متعلق جرم", "hate_crime": "نفرت پر مبنی جرم",
           "asb": "سماج دشمن رویہ", "rtc": "سڑک پر ٹریفک حادثہ"},
}
KEY_EVENTS = {
    "en": {"arrest": "a suspect was arrested", "charge": "a suspect was charged", "bail": "a suspect was released on bail",
           "release": "a suspect was released", "no_further_action": "it was decided to take no further action",
           "court_date": "a court date was set"},
    "pl": {"arrest": "zatrzymanie podejrzanego", "charge": "postawienie podejrzanemu zarzutów",
           "bail": "zwolnienie podejrzanego za poręczeniem", "release": "zwolnienie podejrzanego",
           "no_further_action": "decyzja o niepodejmowaniu dalszych działań", "court_date": "wyznaczenie terminu rozprawy"},
    "ur": {"arrest": "ملزم کی گرفتاری", "charge": "ملزم پر فرد جرم عائد", "bail": "ملزم کی ضمانت پر رہائی",
           "release": "ملزم کی رہائی", "no_further_action": "مزید کارروائی نہ کرنے کا فیصلہ",
           "court_date": "عدالت میں سماعت کی تاریخ مقرر"},
}


def _lookup(table: dict, key: str) -> str:
    """A Jinja dict literal looked up by a field: the translation travels in the template."""
    pairs = ", ".join(f"'{k}': '{v}'" for k, v in table.items())
    return "{{ {" + pairs + "}.get(" + key + ", " + key + ") }}"


def texts(language: str) -> dict[str, dict[str, object]]:
    ct = _lookup(CRIME_TYPES[language], "crime_type_key")
    ke = _lookup(KEY_EVENTS[language], "key_event")
    return {"en": _english, "pl": _polish, "ur": _urdu}[language](ct, ke)


def _english(ct: str, ke: str) -> dict:
    return {
        "heading": "Northvale Constabulary",
        "greeting": "Dear Sir or Madam,",
        "closing": "Yours faithfully,",
        "signature": "{{ officer }}, {{ team }}, {{ division }} Division",
        "ref": "Crime reference: {{ crime_reference }}    Date: {{ today }}",
        "acknowledgement": [
            f"Thank you for reporting the {ct} on {{{{ reported_on }}}}. Your crime reference is {{{{ crime_reference }}}}: "
            "please quote it whenever you contact us.",
            "The officer dealing with your case is {{ officer }} of {{ team }}. We will give you an update by "
            "{{ next_update }} at the latest, and at least every 28 days until the case is closed.",
            "Victim Support gives free and confidential help, whether or not anyone is caught. You can ask us to "
            "refer you, or contact them yourself.",
        ],
        "update": [
            f"This is an update on your case {{{{ crime_reference }}}} ({ct}, reported on {{{{ reported_on }}}}).",
            "The investigation is continuing. {{ officer }} will contact you again by {{ next_update }}. If you have "
            "any questions, or anything has changed, please contact us quoting your reference.",
        ],
        "key_event": [
            f"We are writing to tell you that in your case {{{{ crime_reference }}}}, {ke} on {{{{ key_event_on }}}}.",
            "{{ officer }} will explain what this means for you and answer your questions.",
        ],
        "closure": [
            "Your case {{ crime_reference }} has now been closed. Thank you for your help.",
            "If you have new information, please contact us quoting your reference. You may be asked to take part in "
            "a survey about the service you received.",
        ],
    }


def _polish(ct: str, ke: str) -> dict:
    return {
        "heading": "Northvale Constabulary (policja)",
        "greeting": "Szanowni Państwo,",
        "closing": "Z poważaniem,",
        "signature": "{{ officer }}, {{ team }}, {{ division }} Division",
        "ref": "Numer sprawy: {{ crime_reference }}    Data: {{ today }}",
        "acknowledgement": [
            f"Dziękujemy za zgłoszenie w dniu {{{{ reported_on }}}}: {ct}. Numer Państwa sprawy to "
            "{{ crime_reference }}: prosimy podawać go przy każdym kontakcie z nami.",
            "Sprawę prowadzi funkcjonariusz {{ officer }} z zespołu {{ team }}. Poinformujemy Państwa o postępach "
            "najpóźniej do {{ next_update }}, a następnie co najmniej raz na 28 dni, aż do zamknięcia sprawy.",
            "Organizacja Victim Support udziela bezpłatnej i poufnej pomocy. Mogą Państwo poprosić nas o przekazanie "
            "zgłoszenia lub skontaktować się z nią bezpośrednio.",
        ],
        "update": [
            f"Przesyłamy informację o postępach w sprawie {{{{ crime_reference }}}} ({ct}, zgłoszenie z dnia "
            "{{ reported_on }}).",
            "Postępowanie jest w toku. Funkcjonariusz {{ officer }} skontaktuje się z Państwem ponownie do "
            "{{ next_update }}. W razie pytań lub zmian prosimy o kontakt z podaniem numeru sprawy.",
        ],
        "key_event": [
            f"Informujemy, że w Państwa sprawie {{{{ crime_reference }}}} nastąpiło: {ke} (dnia {{{{ key_event_on }}}}).",
            "Funkcjonariusz {{ officer }} wyjaśni, co to oznacza, i odpowie na Państwa pytania.",
        ],
        "closure": [
            "Sprawa {{ crime_reference }} została zamknięta. Dziękujemy za pomoc.",
            "Jeśli pojawią się nowe informacje, prosimy o kontakt z podaniem numeru sprawy. Mogą Państwo otrzymać "
            "zaproszenie do udziału w ankiecie o jakości naszej obsługi.",
        ],
    }


def _urdu(ct: str, ke: str) -> dict:
    return {
        "heading": "نارتھ ویل پولیس (Northvale Constabulary)",
        "greeting": "محترم جناب / محترمہ،",
        "closing": "مخلص،",
        "signature": "{{ officer }}، {{ team }}، {{ division }} Division",
        "ref": "کیس نمبر: {{ crime_reference }}    تاریخ: {{ today }}",
        "acknowledgement": [
            f"{{{{ reported_on }}}} کو {ct} کی اطلاع دینے کا شکریہ۔ آپ کا کیس نمبر {{{{ crime_reference }}}} ہے؛ "
            "ہم سے رابطہ کرتے وقت براہ کرم یہ نمبر بتائیں۔",
            "آپ کا کیس {{ team }} کے افسر {{ officer }} دیکھ رہے ہیں۔ ہم {{ next_update }} تک آپ کو پیش رفت سے "
            "آگاہ کریں گے، اور کیس بند ہونے تک کم از کم ہر 28 دن بعد رابطہ کریں گے۔",
            "وکٹم سپورٹ مفت اور رازدارانہ مدد فراہم کرتی ہے۔ آپ ہم سے ریفرل کی درخواست کر سکتے ہیں یا براہ راست ان سے "
            "رابطہ کر سکتے ہیں۔",
        ],
        "update": [
            f"یہ آپ کے کیس {{{{ crime_reference }}}} ({ct}، اطلاع {{{{ reported_on }}}}) کے بارے میں تازہ معلومات ہیں۔",
            "تفتیش جاری ہے۔ افسر {{ officer }} {{ next_update }} تک آپ سے دوبارہ رابطہ کریں گے۔ اگر آپ کا کوئی سوال ہو "
            "یا کچھ بدل گیا ہو تو براہ کرم اپنا کیس نمبر بتا کر ہم سے رابطہ کریں۔",
        ],
        "key_event": [
            f"ہم آپ کو بتانا چاہتے ہیں کہ آپ کے کیس {{{{ crime_reference }}}} میں {{{{ key_event_on }}}} کو {ke} ہوئی۔",
            "افسر {{ officer }} آپ کو بتائیں گے کہ اس کا کیا مطلب ہے اور آپ کے سوالات کا جواب دیں گے۔",
        ],
        "closure": [
            "آپ کا کیس {{ crime_reference }} اب بند کر دیا گیا ہے۔ آپ کے تعاون کا شکریہ۔",
            "اگر کوئی نئی معلومات سامنے آئیں تو براہ کرم اپنا کیس نمبر بتا کر ہم سے رابطہ کریں۔ ہو سکتا ہے آپ سے ہماری "
            "خدمت کے بارے میں ایک سروے میں حصہ لینے کو کہا جائے۔",
        ],
    }
