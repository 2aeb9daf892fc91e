"""The record's columns and vocabularies: plain constants, cheap to import (the CLI's help
text needs them before anything else is loaded)."""

# Column order for CSV export and the documented record layout.
COLUMNS = [
    "id", "name", "category", "tags", "description", "address", "postcode", "area",
    "lat", "lon", "phone", "email", "website", "schedule", "cost", "min_age", "max_age",
    "gender", "accessibility", "referral", "welcomes_convictions", "dbs_required",
    "involves_children", "capital", "status", "verified_on", "source", "notes",
    # The relationship with the group (issue 16): organisational facts, never about the
    # people being helped. Last, so files written before them keep their column order.
    "partnership_status", "contact_name", "contact_role", "contact_phone", "contact_email",
    "referral_route", "referral_details", "welcomes_mentor", "last_contact", "next_contact",
    "staff_notes",
]  # fmt: skip

COST = ("free", "low", "paid")
GENDER = ("any", "women", "men")
REFERRAL = ("drop-in", "self-referral", "referral-needed", "membership")
FLAG = ("yes", "no", "unknown")
CAPITAL = ("bonding", "bridging", "linking")
STATUS = ("active", "temporarily-closed", "closed")
# A --tag given empty (an unset shell variable) filters nothing in, or out: say so.
EMPTY_TAG = "--tag: an empty tag; give one, e.g. --tag gym"
FLAG_FIELDS = ("welcomes_convictions", "dbs_required", "involves_children")
# Partnerships: where the relationship stands, and how a practitioner refers someone.
PARTNERSHIP = ("partner", "known", "approached", "lapsed")
ROUTE = ("phone", "email", "form", "drop-in", "other")
PARTNERSHIP_FIELDS = tuple(COLUMNS[COLUMNS.index("partnership_status") :])
# Left out of `export --public` (a list shared outside the team): the named contact and how
# to reach them, the state of the relationship, its dates and the staff's own notes.
STAFF_ONLY = (
    "partnership_status", "contact_name", "contact_role", "contact_phone", "contact_email",
    "last_contact", "next_contact", "staff_notes",
)  # fmt: skip


DEFAULT_CATEGORIES = [
    "faith group", "gym", "sports club", "football team", "walking group", "running group",
    "book club", "foodbank", "volunteering", "peer support", "recovery group", "library",
    "education", "employment support", "gardening", "arts and culture", "community centre",
    "mentoring",
    # Needs (issue 24): services for a need the person has, not pastimes. Added to existing
    # catalogues by migration m009.
    *("housing support", "money advice", "family support", "veterans support",
      "bereavement support"),
]  # fmt: skip

# Taxonomy terms other Open Referral publishers use, and the category each means here (a new
# catalogue starts with these; `assetmap categories map TERM CATEGORY` adds or changes one).
# A term that is a category's own name ('Foodbank', 'Library') needs no entry.
DEFAULT_CATEGORY_TERMS = [
    *[(t, "foodbank") for t in ("food bank", "food banks", "foodbanks", "emergency food", "food parcels")],
    *[(t, "library") for t in ("libraries", "public library", "public libraries")],
    *[(t, "sports club") for t in ("sport", "sports", "sports clubs", "sport and leisure")],
    *[(t, "gym") for t in ("gyms", "fitness", "gyms and fitness")],
    *[(t, "walking group") for t in ("walking", "walking groups", "health walks")],
    *[(t, "running group") for t in ("running", "running groups", "parkrun")],
    *[(t, "football team") for t in ("football", "football clubs")],
    *[(t, "book club") for t in ("book clubs", "reading groups")],
    *[(t, "volunteering") for t in ("volunteer", "volunteering opportunities", "volunteers")],
    *[(t, "peer support") for t in ("peer support groups", "support groups", "mental health support", "wellbeing")],
    *[(t, "recovery group") for t in ("drug and alcohol services", "alcohol support", "substance misuse", "addiction", "recovery")],
    *[(t, "education") for t in ("adult learning", "adult education", "learning", "courses", "skills")],
    *[(t, "employment support") for t in ("employment", "employment and training", "jobs", "careers advice", "job clubs")],
    *[(t, "gardening") for t in ("community gardens", "allotments", "growing")],
    *[(t, "arts and culture") for t in ("arts", "arts and crafts", "music", "museums", "culture")],
    *[(t, "community centre") for t in ("community centres", "community hubs", "community hub")],
    *[(t, "faith group") for t in ("faith groups", "places of worship", "churches", "faith")],
    *[(t, "mentoring") for t in ("mentoring schemes", "befriending", "mentors")],
    # needs (issue 24; added to catalogues made before by migration m009)
    *[(t, "housing support") for t in ("housing", "homelessness", "housing advice", "homeless services")],
    *[(t, "money advice") for t in ("debt advice", "welfare benefits", "benefits advice", "welfare rights")],
    *[(t, "family support") for t in ("parenting", "families", "family hubs", "children and families")],
    *[(t, "veterans support") for t in ("veterans", "armed forces", "armed forces veterans")],
    *[(t, "bereavement support") for t in ("bereavement", "grief support")],
]  # fmt: skip

# A service for one need is for people with that need: a bereavement group is not a place to
# "talk to someone" about anything, a veterans' breakfast club not a social for anyone. An
# asset in one of these categories meets a reading only through the category itself or one of
# these terms (understand.Reading.meets), never through a general tag (talking, advice, social).
NEED_KINDS = {
    "housing support": ("housing", "homelessness", "housing advice", "rough sleeping"),
    "money advice": ("money advice", "debt advice", "benefits advice", "welfare rights",
                     "debt", "benefits", "universal credit", "budgeting"),
    "family support": ("family", "parenting", "family support"),
    "veterans support": ("veterans", "armed forces"),
    "bereavement support": ("bereavement", "grief"),
}  # fmt: skip

# Goals that are needs, not pastimes: said after "no" or "never" they are still needed ("no
# bank account", "never learned to read", "not drinking now"), never said against.
NEED_GOALS = frozenset((
    "housing", "money", "family", "veterans", "learn english", "literacy and numeracy",
    "bereavement", "stay sober", "food", "work skills",
))  # fmt: skip

# The goals vocabulary a new catalogue starts with: (goal, tags, categories, synonyms).
# An asset meets a goal when it has one of the tags or is in one of the categories.
DEFAULT_GOALS = [
    ("get fit",
     ["fitness", "gym", "exercise", "running", "sport", "boxing", "football", "swimming", "walking"],
     ["gym", "sports club", "running group", "football team", "walking group"],
     ["fitness", "exercise", "keep fit", "get active", "be active", "sport", "workout", "healthy",
      "health"]),
    ("meet people",
     ["meet people", "social", "community", "team", "peer support"],
     ["book club", "community centre", "walking group", "peer support", "faith group",
      "football team", "volunteering"],
     ["make friends", "friends", "friendship", "social", "company", "lonely", "loneliness",
      "meet new people", "connection", "belong"]),
    ("be outdoors",
     ["outdoors", "walking", "gardening", "canal", "conservation", "nature", "growing"],
     ["walking group", "gardening", "running group"],
     ["outdoors", "outside", "nature", "fresh air", "countryside", "green space", "get outside"]),
    ("find faith",
     ["faith", "worship", "church", "mosque", "christianity", "islam", "judaism", "sikhism",
      "hinduism", "buddhism"],
     ["faith group"],
     ["faith", "religion", "worship", "church", "mosque", "spiritual", "pray", "prayer"]),
    ("food",
     ["food", "foodbank", "cooking", "meals"],
     ["foodbank"],
     ["foodbank", "food bank", "hungry", "meals", "groceries", "eat", "free food"]),
    ("learn",
     ["learning", "books", "reading", "english", "maths", "computers", "skills", "writing"],
     ["education", "library", "book club"],
     ["learning", "education", "study", "course", "qualifications"]),
    ("work skills",
     ["work", "jobs", "cv", "skills", "employment", "practical skills", "training"],
     ["employment support", "education"],
     ["work", "job", "jobs", "employment", "cv", "career", "training", "get a job",
      "employability"]),
    ("give back",
     ["volunteering", "helping others", "conservation", "coaching"],
     ["volunteering"],
     ["volunteer", "volunteering", "help others", "helping others", "charity", "make amends",
      "giving back"]),
    ("talk to someone",
     ["talking", "peer support", "mentoring", "mental health", "support", "advice"],
     ["peer support", "mentoring", "recovery group"],
     ["talk", "someone to talk to", "support", "mentor", "mentoring", "listening", "advice",
      "mental health"]),
    ("stay sober",
     ["recovery", "sobriety", "alcohol", "drugs"],
     ["recovery group"],
     ["sober", "sobriety", "recovery", "stop drinking", "alcohol", "drugs", "addiction",
      "clean", "drug recovery", "alcohol recovery", "substance misuse"]),
    ("creative",
     ["art", "creative", "craft", "pottery", "writing", "music"],
     ["arts and culture"],
     ["art", "arts", "creativity", "music", "writing", "craft", "painting", "be creative"]),
    # Needs (issue 24), in the words practitioners record them with.
    ("housing",
     ["housing", "homelessness", "housing advice", "rough sleeping"],
     ["housing support"],
     ["homeless", "homelessness", "accommodation", "somewhere to live", "a place to live",
      "housing advice", "no fixed abode"]),
    ("money",
     ["money advice", "debt advice", "benefits advice", "welfare rights", "debt", "benefits"],
     ["money advice"],
     ["debt", "debts", "in debt", "money advice", "debt advice", "benefits advice", "finance",
      "finances", "money worries", "budgeting", "welfare rights"]),
    ("family",
     ["family", "parenting", "family support"],
     ["family support"],
     ["family support", "parenting", "parenting course", "single parent"]),
    ("veterans",
     ["veterans", "armed forces"],
     ["veterans support"],
     ["veteran", "ex-forces", "ex forces", "ex-military", "ex military", "ex-services",
      "armed forces", "ex-serviceman", "ex-army", "ex army"]),
    ("learn english",
     ["esol", "english"],
     [],
     ["esol", "english classes", "english lessons", "english as a second language",
      "english for speakers of other languages"]),
    ("literacy and numeracy",
     ["literacy", "numeracy", "functional skills", "basic skills", "maths", "english"],
     [],
     ["literacy", "numeracy", "basic skills", "functional skills", "read and write",
      "reading and writing"]),
    ("bereavement",
     ["bereavement", "grief"],
     ["bereavement support"],
     ["grief", "grieving", "bereaved", "bereavement support"]),
]  # fmt: skip

# Defaults as they shipped before, which migration m009 brings up to date in a catalogue that
# still holds them as shipped (a goal someone has edited is left alone): name -> synonyms.
SHIPPED_BEFORE = {
    "learn": "learning;education;study;course;reading;qualifications;literacy;read",
    "stay sober": "sober;sobriety;recovery;stop drinking;alcohol;drugs;addiction;clean",
}


def one_of(values: list[str], allowed: tuple[str, ...], option: str) -> list[str]:
    """Each value of a repeatable option, folded, checked against its vocabulary."""
    from assetmap.errors import InvalidValue

    out = []
    for v in values:
        key = v.strip().lower()
        if key not in allowed:
            raise InvalidValue(f"{option}: '{v}' is not one of {', '.join(allowed)}")
        out.append(key)
    return out
