"""Small real-looking Nordic documents for the quality-filter tests: clean prose, and one defect per rule."""

SV = (
    "Regeringen presenterade i dag sin budget för nästa år. Finansministern sa att satsningarna på skolan och vården "
    "är de största på flera år, och att det finns utrymme för skattesänkningar för pensionärer.\n\n"
    "Oppositionen var kritisk och menar att pengarna inte räcker till kommunernas ökade kostnader. Enligt den största "
    "oppositionspartiets talesperson har regeringen gjort fel prioriteringar i en svår tid.\n\n"
    "Budgeten ska nu behandlas i riksdagen under hösten, och omröstningen väntas i slutet av november."
)
NB = (
    "Regjeringen la i dag fram forslaget til statsbudsjett for neste år. Finansministeren sier at satsingen på skole "
    "og helse er den største på mange år, og at det er rom for skattelette til pensjonister.\n\n"
    "Opposisjonen er kritisk og mener at pengene ikke strekker til når kommunenes kostnader øker. De vil nå fremme "
    "egne forslag i Stortinget.\n\n"
    "Budsjettet skal behandles i Stortinget i høst, og avstemningen ventes i slutten av november."
)
NN = (
    "Regjeringa la i dag fram framlegget til statsbudsjett for neste år. Finansministeren seier at satsinga på skule "
    "og helse er den største på mange år, og at det er rom for skattelette til pensjonistar.\n\n"
    "Opposisjonen er kritisk og meiner at pengane ikkje strekk til når kostnadene til kommunane aukar. Dei vil no "
    "fremje eigne framlegg i Stortinget.\n\n"
    "Budsjettet skal handsamast i Stortinget i haust, og avrøystinga er venta i slutten av november."
)
DA = (
    "Regeringen fremlagde i dag sit forslag til finanslov for næste år. Finansministeren siger, at indsatsen for "
    "skolen og sundheden er den største i mange år, og at der er plads til skattelettelser for pensionister.\n\n"
    "Oppositionen er kritisk og mener, at pengene ikke rækker, når kommunernes udgifter stiger. De vil nu fremsætte "
    "egne forslag i Folketinget.\n\n"
    "Finansloven skal behandles i Folketinget i efteråret, og afstemningen ventes i slutningen af november."
)
IS = (
    "Ríkisstjórnin kynnti í dag fjárlagafrumvarp næsta árs. Fjármálaráðherra segir að framlög til skóla og "
    "heilbrigðismála séu þau mestu í mörg ár og að svigrúm sé til skattalækkana fyrir eldri borgara.\n\n"
    "Stjórnarandstaðan er gagnrýnin og telur að peningarnir dugi ekki til þegar kostnaður sveitarfélaganna eykst. "
    "Hún mun nú leggja fram eigin tillögur á Alþingi.\n\n"
    "Frumvarpið verður rætt á Alþingi í haust og er atkvæðagreiðsla áætluð í lok nóvember."
)
FO = (
    "Landsstýrið legði í dag fram uppskot til fíggjarlóg fyri komandi ár. Fíggjarmálaráðharrin sigur, at "
    "játtanin til skúla og heilsu er tann størsta í nógv ár, og at tað er rúm fyri skattalætta til pensjónistar.\n\n"
    "Andstøðan er ivasom og heldur, at peningurin ikki røkkur, tá ið útreiðslurnar hjá kommununum vaksa. Hon fer nú "
    "at leggja egin uppskot fyri Løgtingið.\n\n"
    "Uppskotið verður viðgjørt á Løgtinginum í heyst, og atkvøðugreiðslan verður væntandi í endanum av november."
)
CLEAN = {"swe": SV, "nob": NB, "nno": NN, "dan": DA, "isl": IS, "fao": FO}

MENU = "\n".join(
    [
        "Hem",
        "Nyheter",
        "Sport",
        "Kultur",
        "Väder",
        "Kontakt",
        "Om oss",
        "Annonsera",
        "Jobba hos oss",
        "Prenumerera",
        "Logga in",
        "Sök",
    ]
    * 2
)
PRODUCT_SPEC = " ".join(
    "Produktnamn Vinterjacka Herr Färg Svart Storlek Medium Material Polyester Vattentät Ja Fodrad Ja Huva Avtagbar "
    "Fickor Fyra Dragkedja YKK Tvättråd Maskintvätt Ursprungsland Vietnam Artikelnummer VJ2231 Lagerstatus Finns "
    "Leveranstid Dagar Pris Kronor Rea Procent Betyg Stjärnor Recensioner Frakt Fri Retur Dagar Garanti År Kategori "
    "Ytterkläder Märke Nordkust Passform Normal Längd Höftlång Säsong Vinter Vikt Gram".split()
)
NUMBERS = "Resultat omgång 12:\n" + "\n".join(
    f"{i} {3 * i + 1} {i % 7}-{i % 5} {i * 17 % 101} {2020 + i % 4}" for i in range(1, 16)
)
REPEATED_LINES = SV + "\n\n" + "\n\n".join(["Klicka här för att läsa mer om våra erbjudanden."] * 8)
SPAM_PHRASE = " ".join(["billiga skor online"] * 12 + ["köp", "nu", "och", "spara", "pengar", "i", "vår", "butik"])
REPEATED_SENTENCE = (
    SV
    + "\n\n"
    + " ".join(["Vi levererar alltid inom två arbetsdagar till hela Sverige och Finland utan extra kostnad."] * 6)
)
HASHTAGS = "Sommar i Stockholm! " + " ".join(
    f"#{w}"
    for w in "sommar stockholm resa sverige sol bad skärgård semester kärlek vänner mat glass strand båt".split() * 3
)
ELLIPSES = " ".join(["Han tittade ut genom fönstret... Det regnade... Hon sa ingenting..."] * 5)
ELLIPSIS_LINES = "\n".join(
    [
        "Läs mer om vårens nya kollektion...",
        "Så lyckas du med trädgården i år...",
        "Tio tips inför semestern...",
        "Recept: enkel kycklinggryta på trettio minuter...",
    ]
    * 3
)
BULLETS = "\n".join(
    f"• {item}"
    for item in [
        "Mjölk och fil från gården",
        "Bröd från bageriet",
        "Ägg från frigående höns",
        "Ost av olika sorter",
        "Kaffe och te",
        "Frukt och grönt",
        "Kött och fisk",
        "Glass och godis",
        "Pasta och ris",
        "Kryddor och såser",
    ]
    * 2
)
SHORT_WORDS = " ".join(["ja", "nej", "ok", "du", "vi", "är", "så", "på", "en", "av", "de", "om"] * 6)
LONG_WORDS = " ".join(
    [
        "arbetsmarknadsdepartementet",
        "sjukförsäkringsförmånerna",
        "kommunalskattesatserna",
        "och",
        "i",
        "miljökonsekvensbeskrivningarna",
        "försvarsmaktsreformen",
    ]
    * 9
)
SYMBOLS = " ".join(["%%% $$$ &&& *** Handla {nu} [rea] <<<>>> ||| 100% @@@ ### ~~~ ^^^"] * 8)
FLAGGED = SV.replace("Oppositionen var kritisk", "Gratis porr och porrfilmer dygnet runt, se sexfilm och porr nu")
CHAR_REPEAT = "Hahahahahahahahahahahahahahahaha! " * 12 + "Det var det roligaste jag har sett i hela mitt liv."
ONE_WORD_LINES = "\n".join(SV.split())
NO_ALPHA = "12345 67890 !!! 2023-10-01 ... 555 333 111 ---- 42 17 99 +46 70 123 45 67 " * 3
TOO_SHORT = "Tack för hjälpen!"
