"""The defects real crawls have, added to real text by `make_sample.py`: every function takes a seeded Random.

All text written here is ours (Apache-2.0, like the project). Personal identifiers are generated: they pass their
checksums, so a PII detector must find them, but they are random numbers tied to no one.
"""

from __future__ import annotations

import datetime
import random
import unicodedata

BOILERPLATE = {
    "swe": [
        "Vi använder kakor (cookies) för att webbplatsen ska fungera på ett bra sätt för dig. Genom att "
        "fortsätta surfa godkänner du att vi använder kakor.",
        "Hem | Nyheter | Om oss | Kontakt | Logga in",
        "© 2024 Alla rättigheter förbehållna. Dela: Facebook | X | LinkedIn",
    ],
    "dan": [
        "Vi bruger cookies til at forbedre din oplevelse af hjemmesiden. Ved at klikke videre accepterer du "
        "vores brug af cookies.",
        "Forside | Nyheder | Om os | Kontakt | Log ind",
        "© 2024 Alle rettigheder forbeholdes. Del: Facebook | X | LinkedIn",
    ],
    "fin": [
        "Käytämme evästeitä parantaaksemme käyttökokemustasi. Jatkamalla selaamista hyväksyt evästeiden käytön.",
        "Etusivu | Uutiset | Tietoa meistä | Yhteystiedot | Kirjaudu",
        "© 2024 Kaikki oikeudet pidätetään. Jaa: Facebook | X | LinkedIn",
    ],
    "nob": [
        "Vi bruker informasjonskapsler (cookies) for å gi deg en bedre opplevelse. Ved å fortsette å bruke "
        "nettstedet godtar du dette.",
        "Hjem | Nyheter | Om oss | Kontakt | Logg inn",
        "© 2024 Alle rettigheter forbeholdt. Del: Facebook | X | LinkedIn",
    ],
    "nno": [
        "Vi brukar informasjonskapslar (cookies) for å gje deg ei betre oppleving. Ved å halde fram godtek du dette.",
        "Heim | Nyheiter | Om oss | Kontakt | Logg inn",
        "© 2024 Alle rettar reserverte. Del: Facebook | X | LinkedIn",
    ],
    "isl": [
        "Við notum vafrakökur til að bæta upplifun þína af vefnum. Með því að halda áfram samþykkir þú notkun þeirra.",
        "Forsíða | Fréttir | Um okkur | Hafa samband | Innskráning",
        "© 2024 Öll réttindi áskilin. Deila: Facebook | X | LinkedIn",
    ],
    "eng": [
        "We use cookies to improve your experience on our website. By continuing to browse, you agree to our "
        "use of cookies.",
        "Home | News | About us | Contact | Log in",
        "© 2024 All rights reserved. Share: Facebook | X | LinkedIn",
    ],
}
"""Cookie notice, navigation line and footer, repeated across a site's pages."""

JUNK = [
    "billiga flygresor stockholm billiga flygresor göteborg billiga flygresor malmö billiga hotell stockholm "
    "billiga hotell göteborg sista minuten resor billigt sista minuten resor billigast flyg hotell paket resa "
    "boka nu billigt flyg billiga resor 2024 billiga resor thailand billiga resor spanien billigt hotell",
    "\n".join(["Klicka här för att läsa mer!"] * 40),
    "#### ==== >>> *** $$$ ### <<< ==== ++++ |||| ~~~~ #### ==== >>> *** $$$ ### <<< ==== ++++ |||| ~~~~\n" * 12,
    "\n".join(f"{n} {n * 7 % 13} {n * 31 % 97} {n * 3.14:.2f} {n % 2}" for n in range(60)),
    "Logga in | Registrera | Glömt lösenord? | Hjälp | Sök | Meny | Stäng | Tillbaka | Nästa | Föregående | "
    "Dela | Skriv ut | Spara | Kundvagn (0) | Mina sidor | Logga ut | Svenska | English | Suomi",
    "https://example.com/a https://example.com/b https://example.com/c https://example.org/1 https://example.org/2 "
    "https://example.net/x?id=1 https://example.net/x?id=2 https://example.net/x?id=3 https://example.com/d",
    "køb billig viagra køb billig viagra online køb billig viagra danmark billig viagra uden recept køb nu",
]
"""Documents a quality filter should remove: keyword spam, a repeated line, symbol soup, a number table, a
navigation bar, a URL list, pharmacy spam."""

SHORT = [
    "Tack!",
    "Läs mer",
    "Sidan kunde inte hittas.",
    "Tak for din bestilling.",
    "OK",
    "Kiitos!",
    "Hej hej",
    "Forsíða",
]

GERMAN = [
    "Artikel 1. Die Würde des Menschen ist unantastbar. Sie zu achten und zu schützen ist Verpflichtung aller "
    "staatlichen Gewalt. Das Deutsche Volk bekennt sich darum zu unverletzlichen und unveräußerlichen "
    "Menschenrechten als Grundlage jeder menschlichen Gemeinschaft, des Friedens und der Gerechtigkeit in der "
    "Welt.",
    "Artikel 2. Jeder hat das Recht auf die freie Entfaltung seiner Persönlichkeit, soweit er nicht die Rechte "
    "anderer verletzt und nicht gegen die verfassungsmäßige Ordnung oder das Sittengesetz verstößt. Jeder hat das "
    "Recht auf Leben und körperliche Unversehrtheit. Die Freiheit der Person ist unverletzlich.",
    "Artikel 3. Alle Menschen sind vor dem Gesetz gleich. Männer und Frauen sind gleichberechtigt. Niemand darf "
    "wegen seines Geschlechtes, seiner Abstammung, seiner Rasse, seiner Sprache, seiner Heimat und Herkunft, seines "
    "Glaubens, seiner religiösen oder politischen Anschauungen benachteiligt oder bevorzugt werden.",
    "Artikel 5. Jeder hat das Recht, seine Meinung in Wort, Schrift und Bild frei zu äußern und zu verbreiten und "
    "sich aus allgemein zugänglichen Quellen ungehindert zu unterrichten. Die Pressefreiheit und die Freiheit der "
    "Berichterstattung durch Rundfunk und Film werden gewährleistet. Eine Zensur findet nicht statt.",
]
"""Articles of the German Basic Law (Grundgesetz): an official work, in the public domain (§ 5 UrhG)."""

_NAMES = {
    "swe": ["Anna Lindqvist", "Erik Sandberg", "Maria Holm"],
    "nob": ["Kari Nordvik", "Ola Haugland"],
    "dan": ["Mette Kjærgaard", "Søren Vestergaard"],
    "isl": ["Guðrún Jónsdóttir", "Jón Ólafsson"],
    "fin": ["Aino Virtanen"],
    "eng": ["Jane Doe"],
}


def _birth_date(rng: random.Random) -> datetime.date:
    return datetime.date(1940, 1, 1) + datetime.timedelta(days=rng.randrange(365 * 60))


def luhn_digit(digits: str) -> int:
    total = 0
    for i, d in enumerate(int(c) for c in digits):
        d = d * 2 if i % 2 == 0 else d
        total += d - 9 if d > 9 else d
    return (10 - total % 10) % 10


def personnummer(rng: random.Random) -> str:
    """Swedish personal identity number YYYYMMDD-NNNC, C the Luhn digit of YYMMDDNNN."""
    born = _birth_date(rng)
    body = born.strftime("%y%m%d") + f"{rng.randrange(1000):03d}"
    return f"{born:%Y%m%d}-{body[6:]}{luhn_digit(body)}"


def fodselsnummer(rng: random.Random) -> str:
    """Norwegian national identity number DDMMYYIIIKK with both mod-11 control digits (born 1940-1999)."""
    while True:
        born = _birth_date(rng)
        digits = [int(c) for c in born.strftime("%d%m%y") + f"{rng.randrange(500):03d}"]
        k1 = 11 - sum(w * d for w, d in zip((3, 7, 6, 1, 8, 9, 4, 5, 2), digits, strict=True)) % 11
        k1 = 0 if k1 == 11 else k1
        k2 = 11 - sum(w * d for w, d in zip((5, 4, 3, 2, 7, 6, 5, 4, 3, 2), digits + [k1], strict=True)) % 11
        k2 = 0 if k2 == 11 else k2
        if k1 < 10 and k2 < 10:
            return "".join(map(str, digits + [k1, k2]))


def cpr(rng: random.Random) -> str:
    """Danish CPR number DDMMYY-SSSS passing the (pre-2007) mod-11 check."""
    while True:
        born = _birth_date(rng)
        digits = [int(c) for c in born.strftime("%d%m%y") + f"{rng.randrange(4)}{rng.randrange(100):02d}"]
        rest = sum(w * d for w, d in zip((4, 3, 2, 7, 6, 5, 4, 3, 2), digits, strict=True)) % 11
        last = (11 - rest) % 11
        if last < 10:
            s = "".join(map(str, digits + [last]))
            return f"{s[:6]}-{s[6:]}"


def kennitala(rng: random.Random) -> str:
    """Icelandic kennitala DDMMYY-RRCM: C the mod-11 check digit, M the century (9 for the 1900s)."""
    while True:
        born = _birth_date(rng)
        digits = [int(c) for c in born.strftime("%d%m%y") + f"{rng.randrange(20, 100):02d}"]
        check = 11 - sum(w * d for w, d in zip((3, 2, 7, 6, 5, 4, 3, 2), digits, strict=True)) % 11
        check = 0 if check == 11 else check
        if check < 10:
            s = "".join(map(str, digits + [check, 9]))
            return f"{s[:6]}-{s[6:]}"


def pii_sentence(language: str, rng: random.Random) -> str:
    """A sentence in `language` with a name, an e-mail address, a phone number and a national identity number."""
    name = rng.choice(_NAMES.get(language, _NAMES["eng"]))
    email = name.lower().replace(" ", ".").translate(str.maketrans("äåöøæðóúíáé", "aaooadouiae")) + "@example.com"
    if language == "swe":
        return (
            f"Vid frågor, kontakta handläggaren {name} på {email} eller 070-174 06 {rng.randrange(5, 99):02d}. "
            f"Ange personnummer {personnummer(rng)} i ärendet."
        )
    if language == "nob":
        return (
            f"Spørsmål kan rettes til {name} på {email} eller telefon +47 {rng.randrange(400, 499)} "
            f"{rng.randrange(10, 99)} {rng.randrange(100, 999)}. Oppgi fødselsnummer {fodselsnummer(rng)}."
        )
    if language == "dan":
        return (
            f"Har du spørgsmål, så skriv til {name} på {email} eller ring på +45 {rng.randrange(20, 99)} "
            f"{rng.randrange(10, 99)} {rng.randrange(10, 99)} {rng.randrange(10, 99)}. Oplys dit CPR-nummer "
            f"{cpr(rng)}."
        )
    if language == "isl":
        return (
            f"Nánari upplýsingar veitir {name} í síma {rng.randrange(600, 899)} {rng.randrange(1000, 9999)} "
            f"eða á {email}. Kennitala: {kennitala(rng)}."
        )
    return f"Contact {name} at {email}."


def mojibake(text: str) -> str:
    """UTF-8 bytes read as Windows-1252 (bytes it does not define read as Latin-1), as a careless crawler does."""
    out = []
    for byte in text.encode("utf-8"):
        try:
            out.append(bytes([byte]).decode("cp1252"))
        except UnicodeDecodeError:
            out.append(chr(byte))
    return "".join(out)


def messy(text: str, rng: random.Random) -> str:
    """Control characters, zero-width spaces, runs of spaces and blank lines, trailing spaces, CRLF line ends."""
    words = text.split(" ")
    for _ in range(max(2, len(words) // 25)):
        i = rng.randrange(len(words))
        words[i] = words[i] + rng.choice(["\x07", "\u200b", "  ", "   ", "\x0b", "\u00ad", "\x1b", "\t "])
    out = " ".join(words).replace("\n\n", "\n \n\n\n\n", 1)
    return out.replace("\n", "   \r\n") if rng.random() < 0.5 else out + "   \n\n\n\n"


def decomposed(text: str) -> str:
    """The text in NFD (macOS file names and some PDF extractions): `å` as `a` + combining ring."""
    return unicodedata.normalize("NFD", text)


def near_duplicate(text: str, rng: random.Random) -> str:
    """A small edit of `text`: a sentence dropped or repeated, a word changed, an update line added."""
    sentences = text.split(". ")
    if len(sentences) > 3 and rng.random() < 0.5:
        del sentences[rng.randrange(1, len(sentences))]
    else:
        sentences.insert(rng.randrange(len(sentences)), sentences[rng.randrange(len(sentences))])
    out = ". ".join(sentences)
    words = out.split(" ")
    i = rng.randrange(len(words))
    words[i] = words[i].upper() if rng.random() < 0.5 else words[i] + words[i][-1:]
    return " ".join(words) + rng.choice(["", f"\n\nUppdaterad {rng.randrange(1, 28)}/{rng.randrange(1, 13)} 2024."])


def with_boilerplate(text: str, language: str, rng: random.Random) -> str:
    lines = BOILERPLATE.get(language)
    if not lines:
        return text
    head = [lines[0], lines[1]] if rng.random() < 0.7 else [lines[1]]
    return "\n".join(head) + "\n\n" + text + "\n\n" + lines[2]
