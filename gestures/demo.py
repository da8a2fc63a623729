"""The demo gift catalog: about thirty varied items in English and German, with pictures
drawn by Pillow (a coloured background, a simple motif and the item's name); and the demo's
first scan with a few decisions and past gifts.

The pictures go through the same validation and re-encoding as uploads, and are
deterministic, so loading the catalog twice stores nothing new the second time.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import textwrap
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont

from contacts.models import Contact, Tag, User
from contacts.services import contact_touch
from contacts.taxonomy_seed import SEED_TAGS

from .images import CleanImage, image_clean
from .importing import CleanCatalogRecord, catalog_record_save
from .models import Gesture, GiftItem, Suggestion, SuggestionTransition
from .rules import Explanation

ALL_DIETARY = ("vegan", "vegetarian", "gluten_free", "lactose_free", "nut_free", "halal", "kosher")


@dataclass(frozen=True)
class DemoGift:
    sku: str
    name: str
    name_de: str
    description: str
    description_de: str
    price: str
    tags: tuple[str, ...]
    occasions: tuple[str, ...] = ("any",)
    motif: str = "circle"
    colour: str = "#35608f"
    contains_alcohol: bool = False
    food: bool = False
    dietary: tuple[str, ...] = ()
    lead_time_days: int = 3
    stock: int | None = None
    active: bool = True
    supplier: str = ""


DEMO_GIFTS: tuple[DemoGift, ...] = (
    DemoGift(
        "DEMO-CRIME-NOVELS",
        "Crime novel trio",
        "Krimi-Trio",
        "Three acclaimed crime novels, hand-picked and gift-wrapped.",
        "Drei ausgezeichnete Kriminalromane, ausgewählt und als Geschenk verpackt.",
        "32.00",
        ("reading",),
        ("birthday", "any"),
        "book",
        "#7a2e2e",
        supplier="Buchhandlung Lindner",
    ),
    DemoGift(
        "DEMO-HISTORY-ATLAS",
        "Illustrated history atlas",
        "Illustrierter Geschichtsatlas",
        "Five thousand years of history in maps and pictures.",
        "Fünftausend Jahre Geschichte in Karten und Bildern.",
        "45.00",
        ("history", "reading", "travel"),
        ("birthday", "role_change"),
        "book",
        "#6b5a2e",
    ),
    DemoGift(
        "DEMO-HIKING-GUIDE",
        "Alpine hiking guide with maps",
        "Alpen-Wanderführer mit Karten",
        "Fifty day hikes in the Alps with weatherproof maps.",
        "Fünfzig Tagestouren in den Alpen mit wetterfesten Karten.",
        "29.50",
        ("hiking", "travel"),
        ("birthday", "any"),
        "mountain",
        "#2f6b3a",
    ),
    DemoGift(
        "DEMO-STEEL-BOTTLE",
        "Insulated steel bottle",
        "Isolierflasche aus Edelstahl",
        "Keeps drinks cold for 24 hours on the trail, the bike or the court.",
        "Hält Getränke 24 Stunden kalt, beim Wandern, Radfahren oder Training.",
        "24.00",
        ("hiking", "cycling", "running", "fitness"),
        ("any",),
        "bottle",
        "#2e6f7a",
    ),
    DemoGift(
        "DEMO-BIKE-LIGHTS",
        "Rechargeable bike light set",
        "Akku-Fahrradlicht-Set",
        "Bright front and rear lights, charged by USB.",
        "Helle Front- und Rücklichter, per USB aufladbar.",
        "39.90",
        ("cycling",),
        ("birthday", "any"),
        "circle",
        "#3a3a7a",
    ),
    DemoGift(
        "DEMO-RUNNING-SOCKS",
        "Merino running socks",
        "Merino-Laufsocken",
        "Three pairs of cushioned merino socks for long runs.",
        "Drei Paar gepolsterte Merino-Socken für lange Läufe.",
        "21.00",
        ("running", "fitness"),
        ("birthday",),
        "stripes",
        "#8f3560",
    ),
    DemoGift(
        "DEMO-GOLF-BALLS",
        "Personalised golf balls",
        "Personalisierte Golfbälle",
        "A dozen tour balls printed with the recipient's initials.",
        "Ein Dutzend Turnierbälle mit den Initialen des Empfängers.",
        "44.00",
        ("golf",),
        ("birthday", "anniversary", "milestone"),
        "circle",
        "#2f7a4d",
        lead_time_days=10,
    ),
    DemoGift(
        "DEMO-TENNIS-SET",
        "Tennis grip and wristband set",
        "Tennis-Griffband-Set",
        "Overgrips and wristbands in club colours.",
        "Griffbänder und Schweißbänder in Vereinsfarben.",
        "18.50",
        ("tennis",),
        ("any",),
        "circle",
        "#a0a02e",
    ),
    DemoGift(
        "DEMO-SIGNED-FOOTBALL",
        "Signed club football",
        "Signierter Vereinsfußball",
        "A match ball signed by the first team.",
        "Ein Spielball mit Unterschriften der ersten Mannschaft.",
        "89.00",
        ("football",),
        ("role_change", "milestone"),
        "circle",
        "#1f1f1f",
        lead_time_days=14,
        stock=3,
    ),
    DemoGift(
        "DEMO-KNOT-BOARD",
        "Sailor's knot board",
        "Seemannsknoten-Tafel",
        "Twelve classic knots on an oak board, hand-tied.",
        "Zwölf klassische Knoten auf Eichenholz, von Hand geknüpft.",
        "36.00",
        ("sailing",),
        ("birthday", "role_change"),
        "wave",
        "#1e4f8f",
    ),
    DemoGift(
        "DEMO-SKI-WAX",
        "Ski wax and tuning kit",
        "Skiwachs- und Tuning-Set",
        "Everything for fast, well-kept skis in one box.",
        "Alles für schnelle, gepflegte Ski in einer Box.",
        "42.00",
        ("skiing",),
        ("birthday", "any"),
        "mountain",
        "#5a7fa8",
    ),
    DemoGift(
        "DEMO-COOKBOOK",
        "Regional cookbook",
        "Regionales Kochbuch",
        "Seasonal recipes from small restaurants across Germany.",
        "Saisonale Rezepte aus kleinen Restaurants in ganz Deutschland.",
        "27.00",
        ("cooking", "reading"),
        ("any",),
        "book",
        "#a8552e",
    ),
    DemoGift(
        "DEMO-SPICES",
        "Spice collection",
        "Gewürzkollektion",
        "Twelve organic spices in glass jars.",
        "Zwölf Bio-Gewürze in Gläsern.",
        "26.00",
        ("cooking",),
        ("any",),
        "grid",
        "#b3741e",
        food=True,
        dietary=ALL_DIETARY,
    ),
    DemoGift(
        "DEMO-BAKING-SET",
        "Baking tin set",
        "Backformen-Set",
        "A springform, a loaf tin and a tart tin of enamelled steel.",
        "Springform, Kastenform und Tarteform aus emailliertem Stahl.",
        "31.00",
        ("baking", "cooking"),
        ("any",),
        "circle",
        "#b35a7a",
    ),
    DemoGift(
        "DEMO-COFFEE",
        "Single-origin coffee beans",
        "Kaffeebohnen aus einer Herkunft",
        "Two bags of freshly roasted coffee from a Hamburg roastery.",
        "Zwei Beutel frisch gerösteter Kaffee aus einer Hamburger Rösterei.",
        "19.50",
        ("coffee",),
        ("any",),
        "circle",
        "#5a3a22",
        food=True,
        dietary=ALL_DIETARY,
    ),
    DemoGift(
        "DEMO-TEA-BOX",
        "Tea tasting box",
        "Tee-Probierbox",
        "Twelve loose-leaf teas from green to smoky black.",
        "Zwölf lose Tees, von grün bis rauchig-schwarz.",
        "24.00",
        ("tea",),
        ("any",),
        "grid",
        "#4d7a2f",
        food=True,
        dietary=ALL_DIETARY,
    ),
    DemoGift(
        "DEMO-DATES",
        "Medjool dates gift box",
        "Medjool-Datteln in der Geschenkbox",
        "Large, soft dates in a wooden box.",
        "Große, weiche Datteln in einer Holzbox.",
        "22.00",
        ("cooking", "tea"),
        ("any",),
        "grid",
        "#7a4d22",
        food=True,
        dietary=ALL_DIETARY,
    ),
    DemoGift(
        "DEMO-RIESLING",
        "Mosel Riesling, two bottles",
        "Mosel-Riesling, zwei Flaschen",
        "A dry Riesling from a family estate on the Mosel.",
        "Ein trockener Riesling von einem Familienweingut an der Mosel.",
        "38.00",
        ("wine",),
        ("birthday", "anniversary", "milestone"),
        "bottle",
        "#8f7a35",
        contains_alcohol=True,
        food=True,
        dietary=("vegan", "vegetarian", "gluten_free"),
    ),
    DemoGift(
        "DEMO-SINGLE-MALT",
        "Single malt whisky, 12 years",
        "Single Malt Whisky, 12 Jahre",
        "A twelve-year-old Speyside single malt in a gift tin.",
        "Ein zwölfjähriger Speyside Single Malt in der Geschenkdose.",
        "64.00",
        ("whisky",),
        ("anniversary", "role_change", "milestone"),
        "bottle",
        "#8f5a1e",
        contains_alcohol=True,
        food=True,
    ),
    DemoGift(
        "DEMO-CRAFT-BEER",
        "Craft beer tasting set",
        "Craft-Beer-Probierset",
        "Six beers from small Franconian breweries.",
        "Sechs Biere aus kleinen fränkischen Brauereien.",
        "29.90",
        ("beer",),
        ("birthday", "milestone"),
        "bottle",
        "#b38f1e",
        contains_alcohol=True,
        food=True,
        dietary=("vegan", "vegetarian"),
    ),
    DemoGift(
        "DEMO-PRALINES",
        "Pralines selection",
        "Pralinenauswahl",
        "Twenty-four handmade pralines, some with nuts.",
        "Vierundzwanzig handgemachte Pralinen, einige mit Nüssen.",
        "21.00",
        ("chocolate",),
        ("any",),
        "grid",
        "#6b3a2e",
        food=True,
        dietary=("vegetarian", "gluten_free"),
    ),
    DemoGift(
        "DEMO-VEGAN-CHOCOLATE",
        "Vegan dark chocolate bars",
        "Vegane Zartbitterschokolade",
        "Five bars of dark chocolate, 70 to 85 per cent cocoa.",
        "Fünf Tafeln Zartbitterschokolade, 70 bis 85 Prozent Kakao.",
        "16.50",
        ("chocolate",),
        ("any",),
        "stripes",
        "#3a2418",
        food=True,
        dietary=ALL_DIETARY,
    ),
    DemoGift(
        "DEMO-GARDEN-TOOLS",
        "Garden tool set",
        "Gartenwerkzeug-Set",
        "Trowel, fork and secateurs with ash handles.",
        "Pflanzkelle, Grabgabel und Gartenschere mit Eschengriffen.",
        "45.00",
        ("gardening",),
        ("birthday", "life_event"),
        "leaf",
        "#3a7a2f",
    ),
    DemoGift(
        "DEMO-SEED-BOX",
        "Heirloom seed box",
        "Samenbox mit alten Sorten",
        "Twenty packets of heirloom vegetable and flower seeds.",
        "Zwanzig Tütchen Samen alter Gemüse- und Blumensorten.",
        "17.00",
        ("gardening", "cooking"),
        ("any",),
        "leaf",
        "#6b8f2e",
        stock=0,
    ),
    DemoGift(
        "DEMO-JAZZ-VINYL",
        "Jazz classics on vinyl",
        "Jazz-Klassiker auf Vinyl",
        "A double album of landmark jazz recordings.",
        "Ein Doppelalbum mit Meilensteinen des Jazz.",
        "32.00",
        ("jazz", "music"),
        ("birthday", "any"),
        "circle",
        "#1f1f3a",
    ),
    DemoGift(
        "DEMO-CONCERT-VOUCHER",
        "Concert and opera voucher",
        "Konzert- und Opern-Gutschein",
        "Two tickets for a concert, opera or play of their choice.",
        "Zwei Karten für ein Konzert, eine Oper oder ein Theaterstück nach Wahl.",
        "120.00",
        ("classical_music", "opera", "theatre", "music"),
        ("anniversary", "role_change", "milestone"),
        "stripes",
        "#5a1e3a",
        lead_time_days=7,
    ),
    DemoGift(
        "DEMO-ART-PRINT",
        "Signed art print",
        "Signierter Kunstdruck",
        "A limited, signed print by a Leipzig artist.",
        "Ein limitierter, signierter Druck einer Leipziger Künstlerin.",
        "58.00",
        ("art",),
        ("role_change", "life_event", "milestone"),
        "diamond",
        "#8f3535",
        lead_time_days=5,
    ),
    DemoGift(
        "DEMO-PHOTO-BOOK",
        "Photo book voucher",
        "Fotobuch-Gutschein",
        "A voucher for a large hard-cover photo book.",
        "Ein Gutschein für ein großes Fotobuch mit festem Einband.",
        "35.00",
        ("photography", "travel"),
        ("any",),
        "diamond",
        "#35608f",
    ),
    DemoGift(
        "DEMO-CHESS-SET",
        "Wooden chess set",
        "Schachspiel aus Holz",
        "A folding walnut board with weighted pieces.",
        "Ein klappbares Nussbaumbrett mit beschwerten Figuren.",
        "49.00",
        ("chess", "board_games"),
        ("birthday", "role_change"),
        "grid",
        "#4d3a2e",
    ),
    DemoGift(
        "DEMO-BOARD-GAME",
        "Strategy board game",
        "Strategie-Brettspiel",
        "An award-winning game for two to four players.",
        "Ein preisgekröntes Spiel für zwei bis vier Personen.",
        "39.90",
        ("board_games",),
        ("any",),
        "diamond",
        "#2e7a6b",
    ),
    DemoGift(
        "DEMO-YOGA-MAT",
        "Cork yoga mat",
        "Yogamatte aus Kork",
        "A natural cork mat with a rubber base and a carrying strap.",
        "Eine Naturkorkmatte mit Kautschukunterseite und Tragegurt.",
        "54.00",
        ("yoga", "fitness"),
        ("birthday", "life_event"),
        "stripes",
        "#a87a4d",
    ),
    DemoGift(
        "DEMO-FLY-BOX",
        "Fly-fishing fly box",
        "Fliegendose zum Fliegenfischen",
        "Thirty hand-tied flies in a waterproof box.",
        "Dreißig handgebundene Fliegen in einer wasserdichten Dose.",
        "28.00",
        ("fishing",),
        ("any",),
        "wave",
        "#2e5a6b",
    ),
    DemoGift(
        "DEMO-DOG-LEAD",
        "Leather dog lead",
        "Hundeleine aus Leder",
        "A hand-stitched leather lead with brass fittings.",
        "Eine handgenähte Lederleine mit Messingbeschlägen.",
        "33.00",
        ("dogs",),
        ("any",),
        "circle",
        "#7a5a35",
    ),
    DemoGift(
        "DEMO-CAT-TOYS",
        "Cat toy set",
        "Katzenspielzeug-Set",
        "Felt balls, a feather wand and a catnip cushion.",
        "Filzbälle, eine Federangel und ein Katzenminze-Kissen.",
        "15.00",
        ("cats",),
        ("any",),
        "circle",
        "#8f5a7a",
    ),
    DemoGift(
        "DEMO-CHARGING-PAD",
        "Wireless charging pad",
        "Kabelloses Ladepad",
        "A walnut charging pad for phone and earbuds.",
        "Ein Ladepad aus Nussbaum für Telefon und Kopfhörer.",
        "30.00",
        ("technology",),
        ("role_change", "any"),
        "grid",
        "#3a3a3a",
    ),
    DemoGift(
        "DEMO-CAR-MODEL",
        "Classic car model 1:18",
        "Oldtimer-Modell 1:18",
        "A detailed die-cast model of a 1960s sports car.",
        "Ein detailreiches Druckguss-Modell eines Sportwagens der 1960er.",
        "69.00",
        ("cars",),
        ("birthday", "anniversary"),
        "diamond",
        "#8f1e1e",
        lead_time_days=7,
    ),
    DemoGift(
        "DEMO-FOUNTAIN-PEN",
        "Engraved fountain pen",
        "Gravierter Füllfederhalter",
        "No longer available from the supplier.",
        "Beim Lieferanten nicht mehr erhältlich.",
        "48.00",
        ("reading",),
        ("role_change", "anniversary"),
        "stripes",
        "#1e3a5a",
        active=False,
    ),
)


def _hex(colour: str) -> tuple[int, int, int]:
    value = colour.lstrip("#")
    return (int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16))


def _motif(draw: ImageDraw.ImageDraw, motif: str, size: tuple[int, int]) -> None:
    width, height = size
    ink = (255, 255, 255, 90)
    cx, cy = width // 2, int(height * 0.38)
    if motif == "circle":
        draw.ellipse((cx - 120, cy - 120, cx + 120, cy + 120), fill=ink)
    elif motif == "book":
        draw.rectangle((cx - 150, cy - 100, cx - 6, cy + 110), fill=ink)
        draw.rectangle((cx + 6, cy - 100, cx + 150, cy + 110), fill=ink)
    elif motif == "mountain":
        draw.polygon([(cx - 220, cy + 120), (cx - 40, cy - 130), (cx + 80, cy + 120)], fill=ink)
        draw.polygon([(cx - 20, cy + 120), (cx + 120, cy - 60), (cx + 240, cy + 120)], fill=ink)
    elif motif == "bottle":
        draw.rounded_rectangle((cx - 55, cy - 60, cx + 55, cy + 140), radius=30, fill=ink)
        draw.rectangle((cx - 20, cy - 140, cx + 20, cy - 60), fill=ink)
    elif motif == "wave":
        for row in range(4):
            y = cy - 90 + row * 60
            for x in range(0, width, 80):
                draw.arc((x, y, x + 80, y + 50), 180, 360, fill=ink, width=10)
    elif motif == "grid":
        for row in range(3):
            for col in range(3):
                x, y = cx - 135 + col * 95, cy - 135 + row * 95
                draw.rounded_rectangle((x, y, x + 80, y + 80), radius=14, fill=ink)
    elif motif == "leaf":
        draw.chord((cx - 170, cy - 110, cx + 170, cy + 110), 200, 340, fill=ink)
        draw.chord((cx - 170, cy - 110, cx + 170, cy + 110), 20, 160, fill=ink)
    elif motif == "diamond":
        draw.polygon([(cx, cy - 140), (cx + 140, cy), (cx, cy + 140), (cx - 140, cy)], fill=ink)
    else:  # stripes
        for index in range(6):
            x = cx - 180 + index * 64
            draw.rectangle((x, cy - 120, x + 34, cy + 120), fill=ink)


def demo_gift_picture(gift: DemoGift) -> bytes:
    """An 800x600 PNG: the gift's colour, its motif and its English name."""
    size = (800, 600)
    picture = Image.new("RGBA", size, (*_hex(gift.colour), 255))
    layer = Image.new("RGBA", size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    _motif(draw, gift.motif, size)
    font = ImageFont.load_default(size=46)
    lines = textwrap.wrap(gift.name, width=24)[:2]
    top = 440 if len(lines) == 1 else 410
    draw.rectangle((0, top - 20, size[0], top + 70 * len(lines)), fill=(0, 0, 0, 70))
    for number, line in enumerate(lines):
        draw.text(
            (size[0] // 2, top + 8 + number * 64),
            line,
            font=font,
            fill=(255, 255, 255, 255),
            anchor="ma",
        )
    picture = Image.alpha_composite(picture, layer).convert("RGB")
    out = io.BytesIO()
    picture.save(out, format="PNG")
    return out.getvalue()


@functools.cache
def _demo_image(gift: DemoGift) -> CleanImage:
    """The gift's picture as an accepted image; drawn and checked once per process, since
    drawing and re-encoding is most of what loading the catalog again costs."""
    return image_clean(demo_gift_picture(gift))


def _tags_ensure(slugs: set[str]) -> None:
    """The catalog may be loaded before the taxonomy: create missing seed tags."""
    seeds = {seed["slug"]: seed for seed in SEED_TAGS}
    for slug in sorted(slugs):
        seed = seeds[slug]
        Tag.objects.get_or_create(
            slug=slug,
            defaults={
                "name_en": seed["name_en"],
                "name_de": seed["name_de"],
                "synonyms_en": seed["synonyms_en"],
                "synonyms_de": seed["synonyms_de"],
            },
        )


# The symbolism an admin would curate on the demo catalog (the appropriateness guard):
# sku -> (symbols, occasions it is unsuitable for).
DEMO_SYMBOLISM: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "DEMO-RIESLING": (("celebratory", "alcohol"), ()),
    "DEMO-SINGLE-MALT": (("celebratory", "alcohol", "luxury"), ()),
    "DEMO-CRAFT-BEER": (("celebratory", "alcohol"), ()),
    "DEMO-CONCERT-VOUCHER": (("celebratory", "luxury"), ()),
    "DEMO-PRALINES": (("celebratory",), ()),
    "DEMO-GARDEN-TOOLS": (("sharp_objects",), ()),
    # A signed ball is a fan's trophy: not for someone's milestone at work.
    "DEMO-SIGNED-FOOTBALL": (("celebratory", "luxury"), ("milestone",)),
}


@transaction.atomic
def demo_catalog_load() -> int:
    """Upsert the demo catalog by SKU; a second run changes nothing. Returns the item count."""
    _tags_ensure({slug for gift in DEMO_GIFTS for slug in gift.tags})
    for gift in DEMO_GIFTS:
        catalog_record_save(
            CleanCatalogRecord(
                sku=gift.sku,
                name=gift.name,
                name_de=gift.name_de,
                description=gift.description,
                description_de=gift.description_de,
                price_eur=Decimal(gift.price),
                tags=tuple(sorted(gift.tags)),
                occasions=gift.occasions,
                contains_alcohol=gift.contains_alcohol,
                food=gift.food,
                dietary=gift.dietary,
                lead_time_days=gift.lead_time_days,
                stock=gift.stock,
                active=gift.active,
                supplier=gift.supplier,
                supplier_url="",
                image=_demo_image(gift),
            )
        )
    for sku, (symbols, unsuitable) in DEMO_SYMBOLISM.items():
        GiftItem.objects.filter(sku=sku).update(
            symbols=list(symbols), unsuitable_occasions=list(unsuitable)
        )
    return GiftItem.objects.filter(sku__in=[gift.sku for gift in DEMO_GIFTS]).count()


def _past_gifts_load(*, users: dict[str, User], today: dt.date) -> None:
    """A year of gifts given before relcrm: the allowances, the 90-day spacing and the
    ledger have something to count, and one recipient is over the 50 EUR limit."""
    items = list(
        GiftItem.objects.filter(active=True, price_eur__lte=40).order_by("price_eur", "sku")
    )
    if not items:
        return
    history = (
        ("anna", 0, ((200, -1), (120, -2))),
        ("ben", 1, ((150, 0),)),
        ("anna", 3, ((40, 2),)),
    )
    for username, contact_index, gifts in history:
        contacts = list(Contact.objects.filter(owner=users[username]).order_by("pk"))
        if contact_index >= len(contacts):
            continue
        for days_ago, item_index in gifts:
            item = items[item_index]
            gesture, _created = Gesture.objects.get_or_create(
                contact=contacts[contact_index],
                kind=Gesture.Kind.GIFT,
                date=today - dt.timedelta(days=days_ago),
                gift_item=item,
                defaults={"value_eur": item.price_eur, "by": users[username]},
            )
            contact_touch(contact_id=gesture.contact_id, on=gesture.date)


# (owner, contact index, kind, days ago, outcome, note): gestures of the past weeks and what
# came of them, so the lead's month shows outcomes; the last two of Anna's are not answered
# yet and wait on her dashboard.
DEMO_OUTCOMES: tuple[tuple[str, int, str, int, str, str], ...] = (
    ("anna", 4, "note", 45, "thanked", ""),
    ("anna", 5, "call", 38, "met", ""),
    ("anna", 6, "meeting", 33, "new_order", ""),
    ("anna", 7, "note", 26, "nothing_yet", ""),
    ("ben", 2, "note", 41, "replied", ""),
    ("ben", 3, "call", 30, "referral", ""),
    ("ben", 4, "note", 22, "thanked", ""),
    ("anna", 8, "note", 17, "", ""),
    ("anna", 9, "call", 15, "", ""),
)
# A gift that felt wrong: the catalog item is never proposed to that person again.
FELT_WRONG_NOTE = "Too much for a first year together; she said so politely."


def _outcomes_load(*, users: dict[str, User], today: dt.date) -> None:
    from .outcomes import gesture_outcome_record

    for username, index, kind, days_ago, result, note in DEMO_OUTCOMES:
        owner = users[username]
        contacts = list(Contact.objects.filter(owner=owner).order_by("pk"))
        if index >= len(contacts):
            continue
        day = today - dt.timedelta(days=days_ago)
        gesture, _created = Gesture.objects.get_or_create(
            contact=contacts[index], kind=kind, date=day, defaults={"by": owner}
        )
        contact_touch(contact_id=gesture.contact_id, on=gesture.date)
        if kind == Gesture.Kind.CALL and gesture.suggestion is None:
            # A call the scan had suggested, without a concrete occasion.
            gesture.suggestion = Suggestion.objects.create(
                contact=gesture.contact,
                kind=Suggestion.Kind.CALL,
                occasion="keep_in_touch",
                event_date=day,
                due_date=day,
                expires_on=day + dt.timedelta(days=14),
                status=Suggestion.Status.DONE,
                explanation=Explanation(
                    occasion="keep_in_touch", kind="call", event_date=day
                ).as_json(),
                decided_by=owner,
                decided_at=timezone.now(),
            )
            gesture.save(update_fields=["suggestion"])
        if result:
            gesture_outcome_record(gesture=gesture, by=owner, result=result, note=note)
    # The 40-day-old gift Anna gave (see _past_gifts_load).
    gift = (
        Gesture.objects.filter(by=users["anna"], kind=Gesture.Kind.GIFT, outcome__isnull=True)
        .order_by("-date", "-pk")
        .first()
    )
    if gift is not None:
        gesture_outcome_record(
            gesture=gift, by=users["anna"], result="felt_wrong", note=FELT_WRONG_NOTE
        )


def demo_activity_load(*, users: dict[str, User], today: dt.date) -> None:
    """Today's scan and a few decisions, so that the dashboard, the approval queue, the
    team's month and the gift ledger are alive from the first start. Decisions are made
    once: a database where someone already decided something is left as it is."""
    from .scan import scan_day
    from .services import suggestion_approve, suggestion_confirm, suggestion_dismiss

    decided = SuggestionTransition.objects.exists()
    if not decided:
        _past_gifts_load(users=users, today=today)
    demo_guard_cases_load(users=users, today=today)
    scan_day(today=today)
    if decided:
        return
    anna, ben, lena = users["anna"], users["ben"], users["lena"]

    def pending(owner: User, **filters: object) -> list[Suggestion]:
        return list(
            Suggestion.objects.filter(
                contact__owner=owner, status=Suggestion.Status.PENDING, **filters
            ).order_by("due_date", "pk")
        )

    with transaction.atomic():
        # Ben's pricier gift waits in Lena's queue; one of Anna's gifts Lena already approved.
        gifts = pending(ben, kind=Suggestion.Kind.GIFT) + pending(anna, kind=Suggestion.Kind.GIFT)
        expensive = [s for s in gifts if s.price_eur is not None and s.price_eur >= 25]
        for suggestion in expensive[:2]:
            suggestion_confirm(suggestion=suggestion, by=suggestion.contact.owner)
        if len(expensive) > 1:
            suggestion_approve(suggestion=expensive[1], by=lena)
        for suggestion in pending(anna, kind=Suggestion.Kind.NOTE)[:1]:
            suggestion_confirm(suggestion=suggestion, by=anna)
        notes = pending(ben, kind=Suggestion.Kind.NOTE)
        if notes:
            suggestion_dismiss(
                suggestion=notes[-1], by=ben, reason=Suggestion.DismissReason.WRONG_TIMING
            )
        _outcomes_load(users=users, today=today)
    # A decision asks for its contact's rescan (a dismissed note leaves room, say for the
    # year-end note in late December); it runs now rather than with the worker, so the demo
    # starts settled and a second run finds nothing new to suggest.
    scan_day(today=today)


# -- the appropriateness guard and attention balance, shown from the first start -----------

GUARD_CONTACTS = (
    # (external id, first name, last name, owner, e-mail)
    ("demo-guard-1", "Helena", "Vogt", "anna", "helena.vogt@hanseatic.example"),
    ("demo-guard-2", "Konrad", "Albers", "ben", "konrad.albers@nordlicht.example"),
    # Anna keeps her own record of Konrad, from a project of hers: the same person.
    ("demo-guard-3", "Konrad", "Albers", "anna", "konrad.albers@nordlicht.example"),
)


def _guard_observations(external_id: str, today: dt.date) -> list[tuple[str, dt.date]]:
    def day(offset: int) -> str:
        when = today + dt.timedelta(days=offset)
        return f"{when:%B} {when.day}"

    if external_id == "demo-guard-1":
        # Her mother died last week and her birthday is in four days: a note, not wine.
        return [
            (f"Her birthday is on {day(4)}.", today - dt.timedelta(days=60)),
            ("Loves a good wine, especially Riesling.", today - dt.timedelta(days=40)),
            ("Her mother passed away last week.", today - dt.timedelta(days=2)),
        ]
    if external_id == "demo-guard-2":
        # The atlas would match two interests, but he cannot stand travel.
        return [
            (f"His birthday is on {day(12)}.", today - dt.timedelta(days=90)),
            (
                "He loves reading and history but cannot stand travel.",
                today - dt.timedelta(days=20),
            ),
        ]
    return [("Just promoted to CFO!", today - dt.timedelta(days=3))]


@transaction.atomic
def demo_guard_cases_load(*, users: dict[str, User], today: dt.date) -> None:
    """Three contacts for what the guard and attention balance do: Helena Vogt's birthday
    right after her mother's death (a personal note, not the wine she likes), Konrad Albers
    who dislikes travel (the atlas left out), and Konrad kept by both Anna and Ben (each
    card names the other's gesture; Lena sees it on the team overview). Created once."""
    from contacts.demo import demo_team
    from contacts.models import Organization
    from contacts.services import observation_create

    team = demo_team()
    organizations = {
        "demo-guard-1": Organization.objects.filter(external_id="demo-org-1").first(),
        "demo-guard-2": Organization.objects.filter(external_id="demo-org-4").first(),
        "demo-guard-3": Organization.objects.filter(external_id="demo-org-4").first(),
    }
    for external_id, first_name, last_name, owner_name, email in GUARD_CONTACTS:
        owner = users[owner_name]
        contact, created = Contact.objects.get_or_create(
            external_id=external_id,
            defaults={
                "first_name": first_name,
                "last_name": last_name,
                "organization": organizations[external_id],
                "email": email,
                "language": "en",
                "salutation": "Ms" if first_name == "Helena" else "Mr",
                "tier": "A",
                "owner": owner,
                "team": team,
            },
        )
        if not created:
            continue
        for number, (text, noted_on) in enumerate(_guard_observations(external_id, today)):
            observation_create(
                contact=contact,
                author=owner,
                text=text,
                noted_on=noted_on,
                external_id=f"{external_id}-obs-{number + 1}",
                rescan=False,
            )
        if external_id == "demo-guard-2":
            # Anna called Konrad about her project three days ago.
            Gesture.objects.create(
                contact=contact,
                kind=Gesture.Kind.CALL,
                date=today - dt.timedelta(days=3),
                by=users["anna"],
                note="Project call",
            )
            contact_touch(contact_id=contact.pk, on=today - dt.timedelta(days=3))
