"""The shares and texts the load data is drawn from: platforms, languages, channels, outcomes,
names and words of descriptions. Figures are plausible for a national archive, not measured."""

from __future__ import annotations

# (organisation, service): share of complaints. Mobile telephony stands for the malicious calls
# the Ombudsman has identified since 1991; the rest are online platforms.
SERVICE_SHARES = {
    ("Meta Platforms Ireland Ltd.", "WhatsApp"): 22,
    ("Meta Platforms Ireland Ltd.", "Instagram"): 17,
    ("Snap B.V.", "Snapchat"): 14,
    ("TikTok Technology Ltd", "TikTok"): 10,
    ("Meta Platforms Ireland Ltd.", "Messenger"): 7,
    ("Meta Platforms Ireland Ltd.", "Facebook"): 7,
    ("X Internet Unlimited Company", "X"): 5,
    ("Telegram Messenger Inc.", "Telegram"): 5,
    ("Proximus SA", "Mobile telephony"): 6,
    ("Telenet BV", "Mobile telephony"): 4,
    ("Orange Belgium SA", "Mobile telephony"): 3,
}
# The operators that hold IP addresses: follow-up orders go to them.
OPERATORS = ["Proximus SA", "Telenet BV", "Orange Belgium SA"]
OPERATOR_SHARES = [5, 3, 2]

LANGUAGE_SHARES = {"nl": 56, "fr": 36, "en": 7, "de": 1}
CHANNEL_SHARES = {"web": 85, "email": 10, "post": 5}
FILER_SHARES = {"victim": 80, "parent": 15, "lawyer": 5}
CATEGORY_SHARES = {
    "threats": 30,
    "repeated_insults": 25,
    "intimidation": 15,
    "stalking": 12,
    "sexual_extortion": 10,
    "other": 8,
}
# How a complaint ends. "lapsed": no reply to a request for information.
OUTCOME_SHARES = {"rejected": 58, "established": 27, "lapsed": 9, "withdrawn": 6}
# Cases whose assessment asks the complainant for more (besides those that lapse).
INFORMATION_REQUESTED = 0.2
# Proposals a reviewer sends back once before approving the second version.
SENT_BACK = 0.08
# How a platform or operator answers an order.
ANSWER_SHARES = {"identity": 55, "no_data": 35, "refusal": 10}
# Answers naming an IP address rather than a person: a follow-up order to the operator.
IP_ANSWERS = 0.3
# Orders answered only after the due date (formal notice, then an answer in the grace period).
LATE_ANSWERS = 0.12
# Complaints from accounts seen before (repeat harassers), among REPEAT_POOL accounts per 100 cases.
REPEAT_SHARE = 0.15
REPEAT_POOL = 2

FIRST_NAMES = [
    "Emma",
    "Noor",
    "Louis",
    "Camille",
    "Jonas",
    "Chloé",
    "Lena",
    "Arthur",
    "Manon",
    "Lucas",
    "Marie",
    "Ella",
    "Liam",
    "Olivia",
    "Noah",
    "Mila",
    "Adam",
    "Lina",
    "Victor",
    "Juliette",
]
LAST_NAMES = [
    "Peeters",
    "Janssens",
    "Maes",
    "Jacobs",
    "Mertens",
    "Willems",
    "Claes",
    "Goossens",
    "Wouters",
    "De Smet",
    "Dubois",
    "Lambert",
    "Dupont",
    "Martin",
    "Simon",
    "Laurent",
    "Leroy",
    "Renard",
    "Lejeune",
    "Schmitz",
]
CITIES = {
    "nl": [("1000", "Brussel"), ("2000", "Antwerpen"), ("9000", "Gent"), ("3000", "Leuven"), ("8000", "Brugge")],
    "fr": [("1000", "Bruxelles"), ("4000", "Liège"), ("6000", "Charleroi"), ("5000", "Namur"), ("7000", "Mons")],
    "en": [("1000", "Brussels"), ("1050", "Ixelles"), ("1150", "Woluwe-Saint-Pierre")],
    "de": [("4700", "Eupen"), ("4780", "Sankt Vith")],
}
STREETS = {"nl": "Stationsstraat", "fr": "Rue de la Station", "en": "Avenue Louise", "de": "Bahnhofstraße"}
WORDS = {
    "nl": [
        "bedreigingen",
        "berichten",
        "elke",
        "avond",
        "school",
        "adres",
        "foto's",
        "chantage",
        "beledigingen",
        "angst",
        "familie",
    ],
    "fr": [
        "menaces",
        "messages",
        "chaque",
        "soir",
        "école",
        "adresse",
        "photos",
        "chantage",
        "insultes",
        "peur",
        "famille",
    ],
    "en": [
        "threats",
        "messages",
        "every",
        "evening",
        "school",
        "address",
        "photos",
        "blackmail",
        "insults",
        "fear",
        "family",
    ],
    "de": [
        "Drohungen",
        "Nachrichten",
        "jeden",
        "Abend",
        "Schule",
        "Adresse",
        "Fotos",
        "Erpressung",
        "Beleidigungen",
        "Angst",
        "Familie",
    ],
}
HANDLE_WORDS = ["shadow", "night", "anon", "ghost", "real", "secret", "dark", "the", "mr", "xx"]

QUESTION = "Please send the screenshots of the messages with their date and time."
REPLY = "The screenshots are attached; the messages came every evening after 21:00."
REASONS = {
    "established": "Every criterion is met: precise, recent messages from an unknown account; threats, not opinion.",
    "not_established": "The messages are insults in a public debate, not harassment under the criteria.",
    "inadmissible": "The facts are not precise: no date or time of any message was given.",
}
SEND_BACK_COMMENT = "Please reason the proportionality criterion more precisely."
ORDER_REASONS = (
    "The account sent threatening messages to the complainant on the dates listed; the Ombudsman "
    "found the facts established (Act of 21 March 1991, art. 43bis §3 7°)."
)
REFUSAL_REASONS = "The order does not identify the account precisely enough."
WITHDRAWAL_REASON = "The complainant withdrew the complaint."
