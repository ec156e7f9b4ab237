#!/usr/bin/env python3
"""Generates benchmark tenants for bench/e2e.sh: by default one small tenant, 24 days of mail access and
sign-ins, with a Storm-0558-style intrusion on its last three weekday nights (formerly the committed
samples/forged-token; samples/ is now written by `forgewatch simulate`).

Python 3 standard library only. A fixed seed, no wall clock (but for the speed it reports on stderr) and no
set/hash ordering make the output byte-identical on every run:

    python3 bench/tenant/generate.py --out DIR

writes, in DIR,
    ual-mail-access.jsonl.gz   Unified Audit Log MailItemsAccessed records (collector JSON Lines)
    entra-signins.jsonl.gz     Entra ID sign-ins (Graph signIn objects, JSON Lines)
both gzip'd with mtime 0, and prints a summary of the attacker's records (used in README.md).

Options make larger data for benchmarks, with the same story in every tenant (README.md, "Larger tenants
for benchmarks"; --help lists them); for example

    python3 bench/tenant/generate.py --mailboxes 2000 --days 30 --no-gzip --out /tmp/fw-tenant-2000

Records are generated one day at a time (all tenants, all users), sorted and written: memory stays at about
one day of records. The intrusion's three days wait in a temporary file until the intrusion, which is drawn
last (as it always was: the draws, and so the sample, are unchanged), has been merged into them. Both files
are written as NAME.partial and only renamed into place once every check has passed.
"""

import argparse
import base64
import gzip
import heapq
import json
import os
import random
import sys
import tempfile
import time
from array import array
from datetime import date, datetime, timedelta
from operator import itemgetter

DEFAULT_SEED = 5580529
DEFAULT_MAILBOXES = 8
DEFAULT_DAYS = 24
DEFAULT_MAIL_PER_DAY = (5, 8)

TENANT1_ID = "3c9d7e10-6a2b-4f8e-9d41-0b5e7c2a9f13"
TENANT1_DOMAIN = "fabrikam-gov.onmicrosoft.com"
LAST_DAY = date(2023, 5, 31)   # Wednesday
EXO = "00000002-0000-0ff1-ce00-000000000000"
SID_PREFIX = "S-1-5-21-2718281828-4590452353-602874713-"
ATTACK_APP = "4b0964e4-58f1-47f4-a552-e2e1fc56dcd7"
NIGHT1, NIGHT2, NIGHT3 = date(2023, 5, 29), date(2023, 5, 30), date(2023, 5, 31)
LATE_NIGHT_DAY = date(2023, 5, 25)   # a benign near miss for unusual-hour detection (the finance lead)
BASELINE = 14 * 86400               # FW1006's baseline window, in seconds
EARLY_AFTER = 10                     # days nobody goes without a read between 07:00 and 08:00 (see workday)
ROUTINE = 7                          # days nobody goes without a record at an hour they read mail at
MAX_ATTACKER_READS = 15              # messages the actor reads one by one in one mailbox, at most

# ---------------------------------------------------------------------------------------------------
# Random identifiers, drawn from a tenant's rng (deterministic).
#
# A character of an alphabet of n letters is what rng.choice draws: getrandbits(k), k = n.bit_length(),
# again while the value is n or more. getrandbits(k) for k <= 32 is the top k bits of the generator's next
# 32-bit word, and getrandbits(32 * m) is the next m words, the first one least significant. So the
# characters are drawn a batch of words at a time (the top byte of each word holds the k bits; a table
# maps it to its letter or drops it), with exactly the words rng.choice would consume, in far fewer calls.

B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
HEX = "0123456789ABCDEF"
B64_TABLE = bytes(ord(B64[b >> 2]) if b >> 2 < 62 else 0 for b in range(256))   # k = 6
B64_DROP = bytes(b for b in range(256) if b >> 2 >= 62)
HEX_TABLE = bytes(ord(HEX[b >> 3]) if b >> 3 < 16 else 0 for b in range(256))   # k = 5
HEX_DROP = bytes(b for b in range(256) if b >> 3 >= 16)
UUID_CLEAR = ~((0xc000 << 48) | (0xf000 << 64))
UUID_SET = (0x8000 << 48) | (4 << 76)


def new_uuid(rng):
    """As str(uuid.UUID(int=rng.getrandbits(128), version=4))."""
    return uuid_text(rng.getrandbits(128))


def uuid_text(bits128):
    """bits128: 128 bits (no more)."""
    h = "%032x" % ((bits128 & UUID_CLEAR) | UUID_SET)
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


MASK128 = (1 << 128) - 1   # getrandbits(128 * m) is m getrandbits(128) in a row, the first least significant


def new_token(rng):
    """A uniqueTokenIdentifier / UniqueTokenId: 16 bytes, base64url without padding (22 chars)."""
    return base64.urlsafe_b64encode(rng.getrandbits(128).to_bytes(16, "big")).rstrip(b"=").decode()


def letters(rng, n, table, drop, k, alphabet):
    """n characters, as "".join(rng.choice(alphabet) for _ in range(n)) draws them."""
    bits = rng.getrandbits
    out = b""
    need = n
    while need > 3:
        out += bits(32 * need).to_bytes(4 * need, "little")[3::4].translate(table, drop)
        need = n - len(out)
    out = out.decode()
    size = len(alphabet)
    while need:   # the last few one word at a time
        r = bits(k)
        if r < size:
            out += alphabet[r]
            need -= 1
    return out


def b64chars(rng, n):
    return letters(rng, n, B64_TABLE, B64_DROP, 6, B64)


def hexchars(rng, n):
    return letters(rng, n, HEX_TABLE, HEX_DROP, 5, HEX)


# ---------------------------------------------------------------------------------------------------
# Times are whole microseconds since 2000-01-01 (UTC): ints, exact, and much faster than datetimes.

US = 1_000_000
HOUR = 3600 * US
DAY = 86400 * US
EPOCH_ORDINAL = date(2000, 1, 1).toordinal()
HMS = [f"{h:02d}:{m:02d}:{s:02d}" for h in range(24) for m in range(60) for s in range(60)]
DAY_TEXT = {}


def day_number(d):
    return d.toordinal() - EPOCH_ORDINAL


def ual_time(t):
    """As datetime's strftime("%Y-%m-%dT%H:%M:%S") (microseconds dropped)."""
    d, s = divmod(t // US, 86400)
    text = DAY_TEXT.get(d)
    if text is None:
        text = DAY_TEXT[d] = date.fromordinal(d + EPOCH_ORDINAL).isoformat() + "T"
    return text + HMS[s]


def at(d, hour, minute=0, second=0):
    return day_number(d) * DAY + ((hour * 60 + minute) * 60 + second) * US


def divide_and_round(a, b):
    """a / b rounded half to even, as timedelta / int rounds microseconds."""
    q, r = divmod(a, b)
    r *= 2
    if r > b or (r == b and q % 2 == 1):
        q += 1
    return q


def shuffle(rng, x):
    """As rng.shuffle(x) (Fisher-Yates, j = _randbelow(i + 1) from the end), with fewer calls."""
    bits = rng.getrandbits
    for i in range(len(x) - 1, 0, -1):
        n = i + 1
        k = n.bit_length()
        j = bits(k)
        while j >= n:
            j = bits(k)
        x[i], x[j] = x[j], x[i]


def weighted(rng, choices, total=None):
    if total is None:
        total = sum(w for _, w in choices)
    pick = total * rng.random()   # as rng.uniform(0, total)
    for value, weight in choices:
        pick -= weight
        if pick <= 0:
            return value
    return choices[-1][0]


encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False).encode

# ---------------------------------------------------------------------------------------------------
# Clients

CLIENTS = {
    "desktop": {
        "appId": "d3590ed6-52b3-4102-aeff-aad2292ab01c",
        "appDisplayName": "Microsoft Office",
        "clientAppUsed": "Mobile Apps and Desktop clients",
        "userAgent": "Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.16327; Pro)",
        "clientInfo": "Client=MSExchangeRPC",
        "rest": False,
    },
    "ios": {
        "appId": "27922004-5251-4030-b22d-91ecd9a37ea4",
        "appDisplayName": "Outlook Mobile",
        "clientAppUsed": "Mobile Apps and Desktop clients",
        "userAgent": "Outlook-iOS/2.0",
        "clientInfo": "Client=OutlookService;Outlook-iOS/2.0;",
        "rest": True,
    },
    "android": {
        "appId": "27922004-5251-4030-b22d-91ecd9a37ea4",
        "appDisplayName": "Outlook Mobile",
        "clientAppUsed": "Mobile Apps and Desktop clients",
        "userAgent": "Outlook-Android/2.0",
        "clientInfo": "Client=REST;Client=RESTSystem;;",
        "rest": True,
    },
    "owa": {
        "appId": EXO,
        "appDisplayName": "Office 365 Exchange Online",
        "clientAppUsed": "Browser",
        "userAgent": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
                     "Chrome/113.0.0.0 Safari/537.36 Edg/113.0.1774.42",
        "clientInfo": "Client=OWA;Action=ViaProxy",
        "rest": False,
    },
}
DESKTOP = CLIENTS["desktop"]

# ---------------------------------------------------------------------------------------------------
# Places. The first tenant's are from the documentation ranges (RFC 5737); every other benign address (other
# tenants' offices, more users' homes) is taken in turn from 198.18.0.0/15 (RFC 2544, set aside for
# benchmarks), never from the attacker's.


def location(city, state, latitude, longitude):
    return {"city": city, "state": state, "countryOrRegion": "US",
            "geoCoordinates": {"altitude": None, "latitude": latitude, "longitude": longitude}}


HQ = ("198.51.100.24", location("Arlington", "Virginia", 38.8816, -77.0910))
BRANCH = ("203.0.113.57", location("Denver", "Colorado", 39.7392, -104.9903))
HOME_DIRECTOR = ("203.0.113.88", location("Alexandria", "Virginia", 38.8048, -77.0469))
HOME_IT = ("198.51.100.73", location("Falls Church", "Virginia", 38.8823, -77.1711))
REMOTE = ("198.51.100.140", location("Raleigh", "North Carolina", 35.7796, -78.6382))

CITIES = [("Arlington", "Virginia", 38.8816, -77.0910), ("Alexandria", "Virginia", 38.8048, -77.0469),
          ("Falls Church", "Virginia", 38.8823, -77.1711), ("Bethesda", "Maryland", 38.9847, -77.0947),
          ("Silver Spring", "Maryland", 38.9907, -77.0261), ("Washington", "District of Columbia", 38.9072, -77.0369),
          ("Denver", "Colorado", 39.7392, -104.9903), ("Aurora", "Colorado", 39.7294, -104.8319),
          ("Raleigh", "North Carolina", 35.7796, -78.6382), ("Baltimore", "Maryland", 39.2904, -76.6122),
          ("Richmond", "Virginia", 37.5407, -77.4360), ("Philadelphia", "Pennsylvania", 39.9526, -75.1652),
          ("Atlanta", "Georgia", 33.7490, -84.3880), ("Chicago", "Illinois", 41.8781, -87.6298),
          ("Austin", "Texas", 30.2672, -97.7431), ("Sacramento", "California", 38.5816, -121.4944)]


class AddressPool:
    """Benign addresses beyond the first tenant's own: 198.18.0.1, 198.18.0.2, ... (skipping .0 and .255)."""

    def __init__(self):
        self.next = 0

    def take(self):
        while True:
            n = self.next
            self.next += 1
            if n >= 1 << 17:
                raise SystemExit("generate.py: out of benign addresses in 198.18.0.0/15; use fewer mailboxes or tenants")
            if n & 255 not in (0, 255):
                return f"198.{18 + (n >> 16)}.{(n >> 8) & 255}.{n & 255}"

    def place(self, city):
        return (self.take(), location(*city))


# ---------------------------------------------------------------------------------------------------
# People

COMMON_FOLDERS = ["\\Inbox", "\\Sent Items", "\\Drafts", "\\Archive", "\\Deleted Items"]

# key, upn local part, display name, weekday clients (weights), weekday places (weights), extra folders
USER_SPECS = [
    ("director", "miriam.okafor", "Miriam Okafor", [("desktop", 8), ("ios", 2)], [("hq", 9), ("home_director", 1)],
     ["\\Inbox\\Board", "\\Inbox\\Finance", "\\Inbox\\Legal", "\\Projects\\Harbor Bridge",
      "\\Projects\\Budget FY24", "\\Inbox\\Congressional"]),
    ("finance", "daniel.lindqvist", "Daniel Lindqvist", [("desktop", 1)], [("hq", 1)],
     ["\\Inbox\\Finance", "\\Inbox\\Audit", "\\Inbox\\Payroll", "\\Projects\\Budget FY24", "\\Vendors"]),
    ("legal", "samira.haddad", "Samira Haddad", [("owa", 1)], [("branch", 1)],
     ["\\Inbox\\Legal", "\\Inbox\\Contracts", "\\Inbox\\Litigation", "\\Projects\\Harbor Bridge", "\\FOIA Requests"]),
    ("assistant", "priya.nguyen", "Priya Nguyen", [("desktop", 1)], [("hq", 1)],
     ["\\Inbox\\Travel", "\\Inbox\\Calendar Requests"]),
    ("it", "tom.brennan", "Tom Brennan", [("desktop", 1)], [("hq", 1)],
     ["\\Inbox\\Alerts", "\\Inbox\\Vendors", "\\Projects\\Tenant Migration"]),
    ("analyst", "rafael.costa", "Rafael Costa", [("owa", 1)], [("branch", 1)],
     ["\\Inbox\\Reports", "\\Projects\\Harbor Bridge"]),
    ("comms", "julia.meyer", "Julia Meyer", [("android", 3), ("owa", 2)], [("branch", 1)],
     ["\\Inbox\\Press", "\\Inbox\\Social"]),
    ("procurement", "kenji.sato", "Kenji Sato", [("desktop", 1)], [("remote", 1)],
     ["\\Inbox\\Bids", "\\Vendors"]),
]
VICTIMS = ("director", "finance", "legal")

# Everyone past the story's eight: a mix of the same kinds of worker. (weight, clients, places); "home" is
# an address of the user's own.
MORE_ROLES = [
    (40, [("desktop", 1)], [("hq", 1)]),
    (10, [("desktop", 8), ("ios", 2)], [("hq", 9), ("home", 1)]),
    (10, [("owa", 1)], [("hq", 1)]),
    (20, [("owa", 1)], [("branch", 1)]),
    (10, [("android", 3), ("owa", 2)], [("branch", 1)]),
    (10, [("desktop", 1)], [("home", 1)]),
]
DEPARTMENTS = [
    ["\\Inbox\\Finance", "\\Inbox\\Invoices", "\\Inbox\\Audit", "\\Projects\\Budget FY24", "\\Vendors"],
    ["\\Inbox\\Legal", "\\Inbox\\Contracts", "\\Inbox\\Litigation", "\\FOIA Requests"],
    ["\\Inbox\\Alerts", "\\Inbox\\Tickets", "\\Projects\\Tenant Migration", "\\Inbox\\Vendors"],
    ["\\Inbox\\Press", "\\Inbox\\Social", "\\Inbox\\Events"],
    ["\\Inbox\\Reports", "\\Projects\\Harbor Bridge", "\\Inbox\\Data Requests"],
    ["\\Inbox\\Bids", "\\Vendors", "\\Inbox\\Purchase Orders"],
    ["\\Inbox\\Recruiting", "\\Inbox\\Benefits", "\\Inbox\\Training"],
    ["\\Inbox\\Permits", "\\Inbox\\Inspections", "\\Projects\\Harbor Bridge", "\\Inbox\\Contractors"],
    ["\\Inbox\\Policy", "\\Inbox\\Congressional", "\\Inbox\\Briefings"],
    ["\\Inbox\\Grants", "\\Inbox\\Applications", "\\Inbox\\Reviews"],
]
FIRST_NAMES = ["Aisha", "Alejandro", "Amara", "Andrei", "Anna", "Ben", "Carmen", "Chen", "Chloe", "David",
               "Diego", "Elena", "Emeka", "Emily", "Fatima", "Felix", "Grace", "Hana", "Hassan", "Ines", "Isaac",
               "Ivan", "Jamal", "Jane", "Javier", "Jin", "Kofi", "Laila", "Lars", "Leah", "Lucas", "Maya",
               "Mei", "Mohammed", "Nadia", "Nina", "Noah", "Olga", "Omar", "Paul", "Pedro", "Rosa", "Ruth",
               "Sam", "Sara", "Sean", "Sofia", "Tariq", "Thomas", "Valentina", "Victor", "Wei", "Yara", "Yusuf",
               "Zara", "Zoe"]
LAST_NAMES = ["Abbott", "Adeyemi", "Alvarez", "Andersen", "Bauer", "Becker", "Bianchi", "Brooks", "Castro",
              "Chowdhury", "Clarke", "Cohen", "Dubois", "Eriksen", "Farouk", "Fischer", "Garcia", "Greene",
              "Gupta", "Hansen", "Hartmann", "Ito", "Jensen", "Kaplan", "Kim", "Kowalski", "Kumar", "Larsen",
              "Lopez", "Mbeki", "Moreau", "Murphy", "Nakamura", "Novak", "Obi", "Oliveira", "Park", "Patel",
              "Petrov", "Quinn", "Rahman", "Rossi", "Schmidt", "Silva", "Singh", "Sorensen", "Suzuki", "Tanaka",
              "Torres", "Varga", "Walsh", "Weber", "Wong", "Yilmaz", "Zhang", "Zielinski"]

SERVERS = ["SA1PR09MB8012", "BN0PR09MB7345", "CY1PR09MB9477", "PH0PR09MB8526", "SJ0PR09MB6611",
           "DM8PR09MB7058", "MN2PR09MB5924", "BY5PR09MB6180"]
SENDERS = SERVERS + ["BL0PR09MB4321", "IA1PR09MB7756", "LV8PR09MB9034"]
TENANT_NAMES = ["contoso-gov", "northwind-gov", "tailspin-gov", "woodgrove-gov", "adatum-gov", "litware-gov",
                "proseware-gov", "wingtip-gov", "lucerne-gov", "relecloud-gov", "coho-gov", "fourthcoffee-gov",
                "wideworld-gov", "alpine-gov", "margie-gov", "humongous-gov"]


def more_people(count, prng):
    """Specs for the users past the story's eight."""
    pairs = [(f, last) for f in FIRST_NAMES for last in LAST_NAMES]
    prng.shuffle(pairs)
    specs = []
    for j in range(count):
        first, last = pairs[j % len(pairs)]
        suffix = str(j // len(pairs) + 1) if j >= len(pairs) else ""
        _, clients, places = weighted(prng, [((w, c, p), w) for w, c, p in MORE_ROLES])
        department = prng.choice(DEPARTMENTS)
        extra = prng.sample(department, prng.randint(2, min(4, len(department))))
        specs.append((f"{first.lower()}.{last.lower()}{suffix}", f"{first.lower()}.{last.lower()}{suffix}",
                      f"{first} {last}", clients, places, extra))
    return specs


# ---------------------------------------------------------------------------------------------------
# Output: one day at a time, sorted; the intrusion's days wait in a spill file for the attacker's records.


class Output:
    def __init__(self, out_dir, use_gzip, level):
        ext = ".jsonl.gz" if use_gzip else ".jsonl"
        self.dir = out_dir
        self.names = {"ual": "ual-mail-access" + ext, "signins": "entra-signins" + ext}
        self.raw = {}
        self.files = {}
        self.sizes = {}
        for kind, name in self.names.items():
            raw = open(os.path.join(out_dir, name + ".partial"), "wb")
            self.raw[kind] = raw
            self.files[kind] = (gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=level, mtime=0)
                                if use_gzip else raw)
        self.spill = None

    def write(self, kind, lines):
        f = self.files[kind]
        for i in range(0, len(lines), 2000):
            f.write("".join(lines[i:i + 2000]).encode("utf-8"))

    def hold(self, entries):
        """UAL entries (sorted) of a day the attacker's records still have to be merged into."""
        if self.spill is None:
            self.spill = tempfile.TemporaryFile(mode="w+", encoding="utf-8", newline="\n", dir=self.dir)
        for i in range(0, len(entries), 2000):
            self.spill.write("".join([f"{e[0]}\t{e[1]}\t{e[2]}" for e in entries[i:i + 2000]]))

    def release(self, attacker_entries):
        """Writes the held days with the attacker's entries (time, id, line) merged in."""
        held = iter(())
        if self.spill is not None:
            self.spill.seek(0)
            held = (line.split("\t", 2) for line in self.spill)
        chunk = []
        for entry in heapq.merge(held, sorted(attacker_entries), key=lambda e: (e[0], e[1])):
            chunk.append(entry[2])
            if len(chunk) >= 2000:
                self.write("ual", chunk)
                chunk = []
        self.write("ual", chunk)
        if self.spill is not None:
            self.spill.close()

    def close(self, keep):
        for kind, name in self.names.items():
            if self.files[kind] is not self.raw[kind]:
                self.files[kind].close()
            self.sizes[kind] = self.raw[kind].tell()
            self.raw[kind].close()
            path = os.path.join(self.dir, name)
            if keep:
                os.replace(path + ".partial", path)
            else:
                os.remove(path + ".partial")


class Day:
    """The records of the day being generated, across all tenants: (time, id, line, ...)."""

    def __init__(self):
        self.ual = []       # (CreationTime, Id, line, mailbox owner, time to the second)
        self.signins = []   # (createdDateTime, id, line)


# ---------------------------------------------------------------------------------------------------
# A tenant: its people and mailboxes, its benign days, and (if it is attacked) the intrusion.


class Tenant:
    def __init__(self, number, options, addresses):
        self.first_day = LAST_DAY - timedelta(days=options.days - 1)
        self.first_dn = day_number(self.first_day)
        self.mail_lo, self.mail_hi = options.mail_per_day
        self.attacked = number == 1 or options.attack_all
        if number == 1:
            rng = self.rng = random.Random(options.seed)
            self.id, self.domain, self.device_prefix, self.sid_prefix = TENANT1_ID, TENANT1_DOMAIN, "FABGOV", SID_PREFIX
            places = {"hq": HQ, "branch": BRANCH, "home_director": HOME_DIRECTOR, "home_it": HOME_IT, "remote": REMOTE}
        else:
            rng = self.rng = random.Random(f"{options.seed}/tenant-{number}")
            name = TENANT_NAMES[(number - 2) % len(TENANT_NAMES)]
            if number - 2 >= len(TENANT_NAMES):
                name += str((number - 2) // len(TENANT_NAMES) + 1)
            self.id = new_uuid(rng)
            self.domain = f"{name}.onmicrosoft.com"
            self.device_prefix = name.split("-")[0][:6].upper()
            self.sid_prefix = f"S-1-5-21-{rng.randint(10 ** 9, 4 * 10 ** 9)}-{rng.randint(10 ** 9, 4 * 10 ** 9)}-" \
                              f"{rng.randint(10 ** 8, 10 ** 9)}-"
            offices = rng.sample(CITIES, 2)
            places = {"hq": addresses.place(offices[0]), "branch": addresses.place(offices[1]),
                      "home_director": addresses.place(rng.choice(CITIES)),
                      "home_it": addresses.place(rng.choice(CITIES)), "remote": addresses.place(rng.choice(CITIES))}

        specs = list(USER_SPECS)
        if options.mailboxes > len(USER_SPECS):
            prng = random.Random(f"{options.seed}/people-{number}")
            for local, _, name, clients, user_places, extra in more_people(options.mailboxes - len(USER_SPECS), prng):
                resolved = []
                for place, weight in user_places:
                    resolved.append((addresses.place(prng.choice(CITIES)) if place == "home" else place, weight))
                specs.append((local, local, name, clients, resolved, extra))

        self.store_prefix = "LgAAAAA" + b64chars(rng, 23)
        self.users = {}
        for index, (key, local, name, clients, user_places, extra) in enumerate(specs):
            server = SERVERS[index] if index < len(SERVERS) else \
                f"{SENDERS[index % len(SENDERS)][:3]}PR09MB{1000 + (index * 7919) % 9000}"
            user = {
                "key": key,
                "upn": f"{local}@{self.domain}",
                "name": name,
                "objectId": new_uuid(rng),
                "userKey": "1003" + hexchars(rng, 12),
                "sid": self.sid_prefix + str(1104 + index * 7),
                "mailboxGuid": new_uuid(rng),
                "server": server,
                "clients": clients,
                "places": [(places[p] if isinstance(p, str) else p, w) for p, w in user_places],
                "folders": COMMON_FOLDERS + extra,
                "devices": {},
            }
            for client_name, _ in clients + [("ios", 0)]:
                if client_name in user["devices"]:
                    continue
                if client_name == "desktop":
                    user["devices"][client_name] = {"deviceId": new_uuid(rng),
                                                    "displayName": f"{self.device_prefix}-LT-{201 + index:04d}",
                                                    "operatingSystem": "Windows10", "browser": "Rich Client 5.2.8.0",
                                                    "isCompliant": True, "isManaged": True, "trustType": "Azure AD joined"}
                elif client_name == "owa":
                    user["devices"][client_name] = {"deviceId": new_uuid(rng),
                                                    "displayName": f"{self.device_prefix}-WS-{301 + index:04d}",
                                                    "operatingSystem": "Windows10", "browser": "Edge 113.0.1774",
                                                    "isCompliant": True, "isManaged": True,
                                                    "trustType": "Hybrid Azure AD joined"}
                elif client_name == "ios":
                    user["devices"][client_name] = {"deviceId": new_uuid(rng), "displayName": f"{name.split()[0]}'s iPhone",
                                                    "operatingSystem": "Ios 16.4", "browser": "Mobile Safari",
                                                    "isCompliant": True, "isManaged": True,
                                                    "trustType": "Azure AD registered"}
                else:
                    user["devices"][client_name] = {"deviceId": new_uuid(rng), "displayName": "Pixel 7",
                                                    "operatingSystem": "Android 13", "browser": "Rich Client 4.2316.1",
                                                    "isCompliant": True, "isManaged": True,
                                                    "trustType": "Azure AD registered"}
            # Exchange entry ids: a store prefix shared by the tenant, the mailbox, then the folder or item.
            store = b64chars(rng, 16)
            user["folderIds"] = {path: self.store_prefix + "B" + store + b64chars(rng, 10) + "AAAB"
                                 for path in user["folders"]}
            user["itemPrefix"] = "RgAAAAA" + self.store_prefix[7:] + "cA" + store
            user["folderParts"] = {path: encode({"Id": fid, "Path": path})[1:-1] for path, fid in user["folderIds"].items()}
            user["signInParts"] = {}
            # Precomputed choices (the draws are the same as building them each time).
            deliver = [("\\Inbox", 6)] + [(p, 1) for p in user["folders"][5:]] + [("\\Sent Items", 2)]
            user["deliverTo"] = (deliver, sum(w for _, w in deliver))
            candidates = [p for p in user["folders"] if p not in ("\\Drafts", "\\Deleted Items")]
            bind = [(p, 5 if p == "\\Inbox" else 1) for p in candidates]
            user["bindFrom"] = (bind, sum(w for _, w in bind))
            user["syncFrom"] = ["\\Inbox", "\\Inbox", "\\Sent Items"] + user["folders"][5:]
            user["clientTotal"] = sum(w for _, w in clients)
            user["placeTotal"] = sum(w for _, w in user["places"])
            # Who else reads this mailbox: the delegate reads the director's, the actor its victims'. In a
            # mailbox nobody else reads, a message the owner has read is never picked again: it is dropped
            # (which draws exactly as keeping it would), so that memory does not grow with the days.
            user["shared"] = key == "director" or (self.attacked and key in VICTIMS)
            self.users[key] = user
        self.order = [spec[0] for spec in specs]

        # Mail: each mailbox gets messages over time; reads pick from what has arrived. A message is a tuple
        # (arrived, InternetMessageId, size, item id).
        self.mail = {key: {path: [] for path in self.users[key]["folders"]} for key in self.order}
        self.read = {key: set() for key in self.order}     # messages each (shared) mailbox's owner has read
        self.hour_seen = {}                                 # (owner, hour) -> last day the owner read mail then
        self.box_hour_seen = {}                             # (owner, hour) -> last day with a record of the mailbox then
        self.weekend = {5: ("director", "ios", places["home_director"]), 6: ("it", "ios", places["home_it"])}
        self.late_night = (LATE_NIGHT_DAY, "finance")
        self.day_tokens = {}                                # the day's uniqueTokenIdentifier -> its sign-in
        self.signin_ids = array("q")                        # hash() of every sessionId and token signed in
        self.parts_cache = {}                               # text fragments of MailItemsAccessed records
        self.signin_hours = {True: set(), False: set()}     # interactive? -> hours with a sign-in
        self.counts = {"ual": 0, "interactive": 0, "noninteractive": 0, "delegate": 0}
        self.late_records = []                              # (CreationTime, Id)
        self.late_ids = set()
        self.attack = []
        self.attacker_read = {}
        self.day = None

        older = (self.first_dn - 7) * DAY
        for key in self.order:
            for path in self.users[key]["folders"]:
                if path not in ("\\Drafts", "\\Deleted Items"):
                    for _ in range(4):
                        self.new_message(self.mail[key][path], self.users[key]["itemPrefix"],
                                         older + rng.randint(0, 6 * 86400) * US)

    # -- mail ------------------------------------------------------------------------------------------

    # The hot draws below are written out: rng.randint(a, b) is a + rng._randbelow(b - a + 1), and
    # _randbelow(n) is getrandbits(k), k = n.bit_length(), drawn again while n or more.

    def new_message(self, box, prefix, arrived):
        """A message arrives in a folder (box: the folder's list; prefix: the mailbox's item id prefix)."""
        rng = self.rng
        bits = rng.getrandbits
        r = bits(4)
        while r >= 11:
            r = bits(4)
        sender = SENDERS[r]   # rng.choice(SENDERS)
        imid = f"<{sender}{letters(rng, 28, HEX_TABLE, HEX_DROP, 5, HEX)}@{sender}.namprd09.prod.outlook.com>"
        if rng.random() < 0.8:
            r = bits(19)
            while r >= 414001:
                r = bits(19)
            size = 6000 + r   # rng.randint(6000, 420000)
        else:
            r = bits(23)
            while r >= 4380001:
                r = bits(23)
            size = 420000 + r   # rng.randint(420000, 4800000)
        box.append((arrived, imid, size, prefix + letters(rng, 12, B64_TABLE, B64_DROP, 6, B64) + "AAAJ"))

    def deliver(self, day):
        """The day's new mail, arriving from 05:00 to 19:00 (older mail arrives before the first day)."""
        rng = self.rng
        rb = rng._randbelow
        bits = rng.getrandbits
        random_ = rng.random
        new_message = self.new_message
        five = at(day, 5)
        lo, width = self.mail_lo, self.mail_hi + 2 - self.mail_lo + 1
        for key in self.order:
            user = self.users[key]
            choices, total = user["deliverTo"]
            folders = self.mail[key]
            prefix = user["itemPrefix"]
            for _ in range(lo + rb(width)):
                pick = total * random_()   # weighted(rng, choices, total)
                for path, weight in choices:
                    pick -= weight
                    if pick <= 0:
                        break
                r = bits(16)
                while r >= 50401:
                    r = bits(16)
                new_message(folders[path], prefix, five + r * US)   # rng.randint(0, 14 * 3600) seconds

    def pick_unread(self, key, path, t, n, read):
        """Up to n messages of the folder that had arrived by t, newest unread first."""
        box = self.mail[key][path]
        if not box:
            return []   # (shuffling nothing draws nothing)
        if read:
            available = [m for m in box if m[0] < t and m[1] not in read]
        else:
            available = [m for m in box if m[0] < t]
        if len(available) > 1:
            available.sort(key=itemgetter(0), reverse=True)
            head = available[: max(n * 2, 4)]
            shuffle(self.rng, head)
            return head[:n]
        return available[:n]

    def bind_folders(self, user_key, t, paths=None):
        rng = self.rng
        user = self.users[user_key]
        read = self.read[user_key]
        shared = user["shared"]
        nfolders = 1 if rng.random() < 0.7 else 2
        folders = []
        remaining = 1 + rng._randbelow(4)
        if paths:
            choices = [(p, 5 if p == "\\Inbox" else 1) for p in paths]
            total = None
        else:
            choices, total = user["bindFrom"]
        tried = 0
        while len(folders) < nfolders and tried < 10:
            tried += 1
            path = weighted(rng, choices, total)
            if folders and folders[0][0] == path:   # (at most one folder is taken before this one)
                continue
            n = remaining if len(folders) == nfolders - 1 else max(1, remaining // 2)
            msgs = self.pick_unread(user_key, path, t, n, read)
            if msgs:
                folders.append((path, msgs))
                remaining -= len(msgs)
                if shared:
                    for m in msgs:
                        read.add(m[1])
                else:
                    box = self.mail[user_key][path]
                    for m in msgs:
                        box.remove(m)
            if remaining <= 0:
                break
        return folders

    # -- records ---------------------------------------------------------------------------------------

    # The records are JSON text: everything but the drawn ids and times comes from fragments made once
    # (per user, client, address, ...) with the same encoder, so a line is what encode(record) would give.

    def sign_in(self, parts, t, session):
        """One sign-in; parts: from signin_parts."""
        drawn = self.rng.getrandbits(3 * 128)   # new_token, new_uuid, new_uuid
        token = base64.urlsafe_b64encode((drawn & MASK128).to_bytes(16, "big")).rstrip(b"=").decode()
        created = ual_time(t) + "Z"
        record_id = uuid_text((drawn >> 128) & MASK128)
        correlation = uuid_text(drawn >> 256)
        self.day.signins.append((created, record_id, "".join((
            '{"id":"', record_id, '","createdDateTime":"', created, parts[0], correlation, parts[1], session,
            '","uniqueTokenIdentifier":"', token, parts[2]))))
        self.day_tokens[token] = (session, parts[3], created[:19], parts[4], parts[5])
        if self.attacked:
            self.signin_ids.append(hash(session))
            self.signin_ids.append(hash(token))
        parts[6].add(created[:13])
        self.counts[parts[7]] += 1
        return (t, token)

    def signin_parts(self, user, client_name, place, interactive):
        key = (client_name, place[0], interactive)
        parts = user["signInParts"].get(key)
        if parts is None:
            client = CLIENTS[client_name]
            who = encode({
                "userDisplayName": user["name"],
                "userPrincipalName": user["upn"],
                "userId": user["objectId"],
                "appId": client["appId"],
                "appDisplayName": client["appDisplayName"],
                "ipAddress": place[0],
                "clientAppUsed": client["clientAppUsed"],
            })[1:-1]
            how = encode({
                "conditionalAccessStatus": "success",
                "isInteractive": interactive,
                "riskDetail": "none",
                "riskLevelAggregated": "none",
                "riskLevelDuringSignIn": "none",
                "riskState": "none",
                "resourceDisplayName": "Office 365 Exchange Online",
                "resourceId": EXO,
                "status": {"errorCode": 0, "failureReason": "Other.", "additionalDetails": None},
                "deviceDetail": user["devices"][client_name],
                "location": place[1],
                "userAgent": client["userAgent"],
            })[1:-1]
            kind = encode({"signInEventTypes": ["interactiveUser" if interactive else "nonInteractiveUser"]})[1:-1]
            parts = user["signInParts"][key] = (
                '",' + who + ',"correlationId":"', '",' + how + ',"sessionId":"', '",' + kind + "}\n",
                user["upn"], place[0], client["appId"], self.signin_hours[interactive],
                "interactive" if interactive else "noninteractive")
        return parts

    def mail_access(self, t, parts, folders, session, token_issued, token):
        """One benign MailItemsAccessed record; parts: from access_parts. folders: list of (path, [messages])
        (Sync: messages empty)."""
        drawn = self.rng.getrandbits(2 * 128)   # new_uuid, new_uuid
        created = ual_time(t)
        record_id = uuid_text(drawn & MASK128)
        correlation = uuid_text(drawn >> 128)
        folder_parts = parts[2]
        if parts[3]:   # Bind
            count = 0
            texts = []
            for path, messages in folders:
                texts.append('{"FolderItems":[' + ",".join(
                    [f'{{"InternetMessageId":"{m[1]}","SizeInBytes":{m[2]},"Id":"{m[3]}"}}' for m in messages])
                    + "]," + folder_parts[path] + "}")
                count += len(messages)
            folders_text = "[" + ",".join(texts) + "]"
        else:
            count = 1
            folders_text = "[" + ",".join(["{" + folder_parts[path] + "}" for path, _ in folders]) + "]"
        # Check: the benign read joins to a sign-in of the day, of its user, from its address and app, before it.
        s = self.day_tokens[token]
        assert s[0] == session and s[1] == parts[4] and s[2] <= created and s[3] == parts[5] and s[4] == parts[6], \
            record_id
        self.counts["ual"] += 1
        self.box_hour_seen[(parts[7], t // HOUR % 24)] = t // DAY
        self.day.ual.append((created, record_id, "".join((
            '{"CreationTime":"', created, '","Id":"', record_id, parts[0], session,
            '","AppAccessContext":{"AADSessionId":"', session, '","IssuedAtTime":"', ual_time(token_issued),
            '","UniqueTokenId":"', token, '","CorrelationId":"', correlation, parts[1], folders_text,
            ',"OperationCount":', str(count), "}\n")), parts[8], t // US))
        return created, record_id

    def access_parts(self, actor, owner, client, ip, access, logon_type=0):
        key = (actor["key"], owner["key"], client["appId"], client["clientInfo"], ip, access, logon_type)
        parts = self.parts_cache.get(key)
        if parts is None:
            middle, after = self.access_text(actor, owner, client, ip, access, logon_type)
            assert client["appId"] != ATTACK_APP
            parts = self.parts_cache[key] = (middle, after, owner["folderParts"], access == "Bind", actor["upn"], ip,
                                             client["appId"], owner["key"], owner["upn"])
        return parts

    def access_text(self, actor, owner, client, ip, access, logon_type):
        app = client["appId"]
        middle = {
            "Operation": "MailItemsAccessed",
            "OrganizationId": self.id,
            "RecordType": 50,
            "ResultStatus": "Succeeded",
            "UserKey": actor["userKey"],
            "UserType": 0,
            "Version": 1,
            "Workload": "Exchange",
            "ClientIP": ip,
            "UserId": actor["upn"],
            "AppId": app,
            "ClientAppId": app,
            "ClientIPAddress": ip,
            "ClientInfoString": client["clientInfo"],
            "ExternalAccess": False,
            "InternalLogonType": logon_type,
            "LogonType": logon_type,
            "LogonUserSid": actor["sid"],
            "MailboxGuid": owner["mailboxGuid"],
            "MailboxOwnerSid": owner["sid"],
            "MailboxOwnerUPN": owner["upn"],
            "OperationProperties": [{"Name": "MailAccessType", "Value": access},
                                    {"Name": "IsThrottled", "Value": "False"}],
            "OrganizationName": self.domain,
            "OriginatingServer": f"{owner['server']} (15.20.6433.024)",
        }
        if client is DESKTOP and access == "Sync":
            del middle["ClientAppId"]  # Outlook desktop Sync records carry no ClientAppId
        after = '"'
        if client["rest"]:
            after += encode({"APIId": EXO, "ClientAppId": app}).replace("{", ",", 1)[:-1]
        after += "}"
        if client["rest"]:
            after += "," + encode({"TokenObjectId": owner["objectId"] if logon_type == 0 else actor["objectId"],
                                   "TokenTenantId": self.id})[1:-1]
        after += ',"Folders":'
        return ('",' + encode(middle)[1:-1] + ',"SessionId":"', after)

    def attacker_access(self, t, owner, ip, access, folders, session, token_issued, token, throttled=False):
        """One MailItemsAccessed record of the actor: forged token, its own application, REST."""
        rng = self.rng
        record = {
            "CreationTime": ual_time(t),
            "Id": new_uuid(rng),
            "Operation": "MailItemsAccessed",
            "OrganizationId": self.id,
            "RecordType": 50,
            "ResultStatus": "Succeeded",
            "UserKey": owner["userKey"],
            "UserType": 0,
            "Version": 1,
            "Workload": "Exchange",
            "ClientIP": ip,
            "UserId": owner["upn"],
            "AppId": ATTACK_APP,
            "ClientAppId": ATTACK_APP,
            "ClientIPAddress": ip,
            "ClientInfoString": "Client=REST;Client=RESTSystem;;",
            "ExternalAccess": False,
            "InternalLogonType": 0,
            "LogonType": 0,
            "LogonUserSid": owner["sid"],
            "MailboxGuid": owner["mailboxGuid"],
            "MailboxOwnerSid": owner["sid"],
            "MailboxOwnerUPN": owner["upn"],
            "OperationProperties": [{"Name": "MailAccessType", "Value": access},
                                    {"Name": "IsThrottled", "Value": "True" if throttled else "False"}],
            "OrganizationName": self.domain,
            "OriginatingServer": f"{owner['server']} (15.20.6433.024)",
            "SessionId": session,
            "AppAccessContext": {"AADSessionId": session, "IssuedAtTime": ual_time(token_issued),
                                 "UniqueTokenId": token, "CorrelationId": new_uuid(rng),
                                 "APIId": EXO, "ClientAppId": ATTACK_APP},
            "TokenObjectId": owner["objectId"],
            "TokenTenantId": self.id,
        }
        out_folders = []
        count = 0
        for path, messages in folders:
            folder = {}
            if access == "Bind":
                folder["FolderItems"] = [{"InternetMessageId": m[1], "SizeInBytes": m[2], "Id": m[3]}
                                         for m in messages]
                count += len(messages)
            folder["Id"] = owner["folderIds"][path]
            folder["Path"] = path
            out_folders.append(folder)
        record["Folders"] = out_folders
        record["OperationCount"] = count if access == "Bind" else 1
        return record

    # -- benign days -----------------------------------------------------------------------------------

    def run_day(self, day, sink):
        self.day = sink
        self.day_tokens = {}
        self.deliver(day)
        if day.weekday() < 5:
            for key in self.order:
                self.workday(day, key)
        else:
            key, client_name, place = self.weekend[day.weekday()]
            self.weekend_day(day, key, client_name, place)

    def workday(self, day, key):
        rng = self.rng
        rb = rng._randbelow
        user = self.users[key]
        client_name = weighted(rng, user["clients"], user["clientTotal"])
        client = CLIENTS[client_name]
        place = weighted(rng, user["places"], user["placeTotal"])
        dn = day_number(day)
        seven = dn * DAY + 7 * HOUR
        start = seven + rb(75 * 60 + 1) * US
        end = at(day, 16, 20) + rb(39 * 60 + 1) * US
        # Nobody comes in after 07:52 on every workday for a fortnight: after EARLY_AFTER days without a read
        # between 07:00 and 08:00, the user is in early (no draw; never happens in the 8-mailbox sample).
        seen7 = self.box_hour_seen.get((key, 7), self.first_dn - 1)
        if dn - seen7 >= EARLY_AFTER and start >= seven + 52 * 60 * US:
            start = seven + (start - seven) // US % 2700 * US
        session = new_uuid(rng)
        refresh = self.signin_parts(user, client_name, place, False)
        tokens = [self.sign_in(self.signin_parts(user, client_name, place, True), start, session)]
        t = start
        while True:
            t = t + (60 * 60 + rb(60 * 60 + 1)) * US
            if t >= end:
                break
            tokens.append(self.sign_in(refresh, t, session))
        late = self.late_night == (day, key)
        if late:
            tokens.append(self.sign_in(refresh, at(day, 21, 57, 12), session))

        # Mail is checked on arrival, before leaving, and a few times in between.
        n = self.mail_lo + rb(self.mail_hi - self.mail_lo + 1)
        first = start + (60 + rb(420 + 1)) * US
        last = end - rb(1200 + 1) * US
        slot = divide_and_round(last - first, n - 2)
        times = [first] + [first + slot * i + rb(slot // US + 1) * US for i in range(n - 2)] + [last]
        # Nobody goes a week without reading mail between 08:00 and 16:00: an hour of the working day that
        # has had no read for six days gets one (in place of another read on a full day).
        hours = {x // HOUR % 24 for x in times}
        for hour in range(8, 16):
            seen = self.hour_seen.get((key, hour))
            if (seen is None or dn - seen >= 6) and hour not in hours:
                t = dn * DAY + hour * HOUR + rb(3600) * US
                if first < t < last:
                    if len(times) < self.mail_hi:
                        times.append(t)
                    else:
                        times[1 + rb(len(times) - 2)] = t
                    times.sort()
                    hours = {x // HOUR % 24 for x in times}
        for t in times:
            self.hour_seen[(key, t // HOUR % 24)] = dn
        sync = self.access_parts(user, user, client, place[0], "Sync")
        bind = self.access_parts(user, user, client, place[0], "Bind")
        sync_from = user["syncFrom"]
        for t in times:
            issued, token = current_token(tokens, t)
            if rng.random() < 0.12:
                path = sync_from[rb(len(sync_from))]   # as rng.choice
                self.mail_access(t, sync, [(path, [])], session, issued, token)
            else:
                folders = self.bind_folders(key, t)
                if folders:
                    self.mail_access(t, bind, folders, session, issued, token)
                elif dn - self.box_hour_seen.get((key, t // HOUR % 24), self.first_dn - 1) >= ROUTINE:
                    # Nothing unread to open, at an hour the mailbox has not been read at for ROUTINE days: the
                    # client syncs the Inbox instead, so that the hours of the working day stay read (no draw
                    # but the record's ids; never happens in the 8-mailbox sample).
                    self.mail_access(t, sync, [("\\Inbox", [])], session, issued, token)

        if key == "assistant" and rng.random() < 0.45:
            # Priya reads the director's mailbox as a delegate (LogonType 2), in her own session.
            director = self.users["director"]
            for _ in range(rng.randint(1, 2)):
                t = start + rng.randint(30 * 60, (end - start) // US - 600) * US
                issued, token = current_token(tokens, t)
                path = rng.choice(["\\Inbox", "\\Inbox", "\\Inbox\\Board"])
                msgs = self.pick_unread("director", path, t, rng.randint(1, 2), ())
                if msgs:
                    self.mail_access(t, self.access_parts(user, director, client, place[0], "Bind", 2), [(path, msgs)],
                                     session, issued, token)
                    self.counts["delegate"] += 1
        if late:
            t = at(day, 22, 4, 31)
            issued, token = current_token(tokens, t)
            folders = [("\\Inbox\\Finance", self.pick_unread(key, "\\Inbox\\Finance", t, 2, self.read[key]))]
            created, record_id = self.mail_access(t, bind, folders, session, issued, token)
            self.late_records.append((created, record_id))
            self.late_ids.add(record_id)

    def weekend_day(self, day, key, client_name, place):
        """A quick look at the phone on a weekend morning, from home."""
        rng = self.rng
        user = self.users[key]
        client = CLIENTS[client_name]
        start = at(day, 8) + rng.randint(0, 50 * 60) * US
        session = new_uuid(rng)
        tokens = [self.sign_in(self.signin_parts(user, client_name, place, True), start, session)]
        for i in range(rng.randint(1, 2)):
            t = start + (rng.randint(60, 1500) + i * 1500) * US
            issued, token = current_token(tokens, t)
            folders = self.bind_folders(key, t, ["\\Inbox"])
            if folders:
                self.mail_access(t, self.access_parts(user, user, client, place[0], "Bind"), folders, session, issued,
                                 token)
        self.sign_in(self.signin_parts(user, client_name, place, False),
                     start + rng.randint(62 * 60, 80 * 60) * US, session)

    # -- the intrusion: forged tokens, no sign-in, an application never seen in the tenant, REST, night hours

    def forged_session(self, night, victim, ip, first_access):
        rng = self.rng
        session = new_uuid(rng)
        token = new_token(rng)
        issued = first_access - rng.randint(90, 240) * US
        entry = {"night": night, "victim": victim, "ip": ip, "session": session, "token": token,
                 "issued": issued, "records": []}
        self.attack.append(entry)
        return entry

    def attack_record(self, entry, t, access, folders, throttled=False):
        owner = self.users[entry["victim"]]
        record = self.attacker_access(t, owner, entry["ip"], access, folders, entry["session"], entry["issued"],
                                      entry["token"], throttled=throttled)
        entry["records"].append(record)
        return record

    def attacker_binds(self, entry, t, reads, prefer, throttle_index=None):
        """reads: number of Bind records; prefer: folders the actor goes after. Returns the time after."""
        rng = self.rng
        key = entry["victim"]
        taken = self.attacker_read.setdefault(key, set())   # the actor does not read a message twice
        for i in range(reads):
            t = t + rng.randint(40, 150) * US
            path = prefer[i % len(prefer)]
            want = min(rng.randint(1, 2), MAX_ATTACKER_READS - len(taken))
            msgs = self.pick_unread(key, path, t, want, taken)
            for m in msgs:
                taken.add(m[1])
            if msgs:
                self.attack_record(entry, t, "Bind", [(path, msgs)], throttled=(i == throttle_index))
        return t

    def sync_burst(self, entry, t, paths):
        for path in paths:
            t = t + self.rng.randint(55, 110) * US
            self.attack_record(entry, t, "Sync", [(path, [])])
        return t

    def intrusion(self):
        director_folders = ["\\Inbox", "\\Sent Items", "\\Inbox\\Board", "\\Inbox\\Finance", "\\Inbox\\Legal",
                            "\\Drafts", "\\Archive", "\\Projects\\Harbor Bridge", "\\Projects\\Budget FY24",
                            "\\Inbox\\Congressional", "\\Deleted Items"]
        finance_folders = ["\\Inbox", "\\Sent Items", "\\Inbox\\Finance", "\\Inbox\\Audit", "\\Inbox\\Payroll",
                           "\\Drafts", "\\Archive", "\\Projects\\Budget FY24", "\\Vendors", "\\Deleted Items"]
        legal_folders = ["\\Inbox", "\\Sent Items", "\\Inbox\\Legal", "\\Inbox\\Contracts", "\\Inbox\\Litigation",
                         "\\Drafts", "\\Archive", "\\Projects\\Harbor Bridge", "\\FOIA Requests"]

        # Night 1 (Monday 2023-05-29): the three mailboxes are opened within ten minutes of each other; each
        # is first synced folder by folder, then selected messages are read.
        n1 = NIGHT1
        d1 = self.forged_session(n1, "director", "146.70.157.45", at(n1, 1, 12, 7))
        f1 = self.forged_session(n1, "finance", "185.38.142.229", at(n1, 1, 16, 44))
        l1 = self.forged_session(n1, "legal", "192.0.2.77", at(n1, 1, 20, 31))
        t = self.sync_burst(d1, at(n1, 1, 12, 7) - 60 * US, director_folders)
        self.attacker_binds(d1, t, 5, ["\\Inbox\\Board", "\\Inbox\\Finance", "\\Inbox", "\\Projects\\Harbor Bridge",
                                       "\\Inbox\\Congressional"], throttle_index=3)
        t = self.sync_burst(f1, at(n1, 1, 16, 44) - 60 * US, finance_folders)
        self.attacker_binds(f1, t, 4, ["\\Inbox\\Finance", "\\Projects\\Budget FY24", "\\Inbox\\Audit", "\\Inbox"])
        t = self.sync_burst(l1, at(n1, 1, 20, 31) - 60 * US, legal_folders)
        self.attacker_binds(l1, t, 3, ["\\Inbox\\Litigation", "\\Projects\\Harbor Bridge", "\\Inbox\\Legal"])

        # Night 2 (Tuesday 2023-05-30): back for the new mail of the director and of legal.
        n2 = NIGHT2
        d2 = self.forged_session(n2, "director", "185.38.142.229", at(n2, 2, 36, 18))
        l2 = self.forged_session(n2, "legal", "192.0.2.91", at(n2, 2, 49, 2))
        self.attacker_binds(d2, at(n2, 2, 36, 18) - 60 * US, 2, ["\\Inbox", "\\Inbox\\Board"])
        self.attacker_binds(l2, at(n2, 2, 49, 2) - 60 * US, 2, ["\\Inbox", "\\Inbox\\Legal"])

        # Night 3 (Wednesday 2023-05-31): director and finance again, each an Inbox sync then reads.
        n3 = NIGHT3
        d3 = self.forged_session(n3, "director", "146.70.157.45", at(n3, 3, 41, 55))
        f3 = self.forged_session(n3, "finance", "192.0.2.91", at(n3, 4, 2, 19))
        t = self.sync_burst(d3, at(n3, 3, 41, 55) - 60 * US, ["\\Inbox"])
        self.attacker_binds(d3, t, 2, ["\\Inbox", "\\Inbox\\Finance"])
        t = self.sync_burst(f3, at(n3, 4, 2, 19) - 60 * US, ["\\Inbox"])
        self.attacker_binds(f3, t, 2, ["\\Inbox", "\\Inbox\\Finance"])

    def check_intrusion(self):
        """The intrusion's story holds: no sign-in made its sessions or tokens, night hours, the night-1 bursts."""
        for entry in self.attack:
            assert hash(entry["session"]) not in self.signin_ids and hash(entry["token"]) not in self.signin_ids
            assert entry["records"], entry
            for r in entry["records"]:
                assert r["CreationTime"][11:13] < "09"
                assert r["AppId"] == ATTACK_APP
        for entry in self.attack:
            if entry["night"] == NIGHT1:
                syncs = [r for r in entry["records"] if r["OperationProperties"][0]["Value"] == "Sync"]
                paths = [r["Folders"][0]["Path"] for r in syncs]
                assert len(set(paths)) >= 9
                span = datetime.fromisoformat(syncs[-1]["CreationTime"]) - datetime.fromisoformat(syncs[0]["CreationTime"])
                assert span <= timedelta(minutes=20), span
                binds = sum(r["OperationCount"] for e in self.attack if e["victim"] == entry["victim"]
                            for r in e["records"] if r["OperationProperties"][0]["Value"] == "Bind")
                assert 5 <= binds <= MAX_ATTACKER_READS, (entry["victim"], binds)

    def check_signin_coverage(self):
        """Both sign-in logs run without a gap of more than a day (nights and weekends included), so that a
        reader can tell "no sign-in created this session" from "the sign-in log is missing here"."""
        for interactive, kind in ((True, "interactiveUser"), (False, "nonInteractiveUser")):
            hours = sorted(datetime.fromisoformat(h + ":00:00") for h in self.signin_hours[interactive])
            gap = max(b - a for a, b in zip(hours, hours[1:]))
            assert gap <= timedelta(hours=25), (self.domain, kind, gap)


def current_token(tokens, t):
    """The newest of the session's tokens issued by t (tokens are in time order)."""
    issued = None
    for x in tokens:
        if x[0] > t:
            break
        issued = x
    return issued


# ---------------------------------------------------------------------------------------------------
# Checks: the story holds, at every size, so that a change to this script cannot silently break it.
#   - Every benign read joins to a sign-in of its day: same session and user, same address and app, a token
#     issued before the read (Tenant.mail_access).
#   - No sign-in made an attacker's session or token; the actor reads at night, with its own application;
#     on night 1 each mailbox gets 9+ folders synced within 20 minutes; 5 to 15 messages are read one by
#     one in each mailbox (Tenant.check_intrusion).
#   - Both sign-in logs run without a gap of more than 25 hours (Tenant.check_signin_coverage).
#   - Benign mail is read only at hours its mailbox is usually read at, but for the one late read (HourCheck).


class HourCheck:
    """Benign mail is read at the hours each mailbox is usually read at (FW1006's rule: an hour not seen in the
    previous 14 days, once the mailbox has 14 days and 5 days of reads), except the one late-night read. Fed
    each day's benign records in time order."""

    def __init__(self, late_ids):
        self.late_ids = late_ids
        self.boxes = {}       # mailbox -> [first read, days read, last day read]
        self.last_at_hour = {}

    def day(self, entries):
        boxes = self.boxes
        last_at_hour = self.last_at_hour
        for created, record_id, _, box, t in entries:   # t: seconds
            state = boxes.get(box)
            if state is None:
                state = boxes[box] = [t, 0, None]
            d = t // 86400
            if d != state[2]:
                state[1] += 1
                state[2] = d
            established = t - state[0] >= BASELINE and state[1] >= 5
            hour = t // 3600 % 24
            seen = last_at_hour.get((box, hour))
            if established and (seen is None or seen < t - BASELINE):
                assert record_id in self.late_ids, ("benign read at an unusual hour", created, box)
            last_at_hour[(box, hour)] = t


# ---------------------------------------------------------------------------------------------------


def parse_args(argv):
    parser = argparse.ArgumentParser(
        description="Generate a benchmark tenant (only --out: the 8-mailbox tenant once committed as samples/forged-token), or larger "
                    "tenants with the same story for benchmarks.")
    parser.add_argument("--out", metavar="DIR", required=True, help="output folder (created if missing)")
    parser.add_argument("--mailboxes", metavar="N", type=int, default=DEFAULT_MAILBOXES,
                        help="mailboxes per tenant, at least 8 (the story's eight come first; default 8)")
    parser.add_argument("--days", metavar="D", type=int, default=DEFAULT_DAYS,
                        help="days of logs ending on 2023-05-31, at least 3 (default 24: from 2023-05-08)")
    parser.add_argument("--seed", metavar="S", type=int, default=DEFAULT_SEED, help=f"default {DEFAULT_SEED}")
    parser.add_argument("--tenants", metavar="T", type=int, default=1,
                        help="tenants, each with its own id, domain, users and addresses (default 1)")
    parser.add_argument("--attack-all", action="store_true",
                        help="the intrusion happens in every tenant (default: in tenant 1 only)")
    parser.add_argument("--no-gzip", action="store_true", help="write plain .jsonl instead of .jsonl.gz")
    parser.add_argument("--mail-per-day", metavar=("LO", "HI"), type=int, nargs=2, default=list(DEFAULT_MAIL_PER_DAY),
                        help="MailItemsAccessed reads per user per workday, at least 5 (default 5 8); "
                             "LO to HI+2 new messages a day arrive in each mailbox")
    options = parser.parse_args(argv)
    if options.mailboxes < len(USER_SPECS):
        parser.error(f"--mailboxes must be at least {len(USER_SPECS)}")
    if options.days < 3:
        parser.error("--days must be at least 3 (the intrusion is on the last three nights)")
    if options.tenants < 1:
        parser.error("--tenants must be at least 1")
    lo, hi = options.mail_per_day
    if not 5 <= lo <= hi:   # fewer, and some hours of the working day go unread for weeks (see workday)
        parser.error("--mail-per-day needs 5 <= LO <= HI")
    options.mail_per_day = (lo, hi)
    return options


def main(argv):
    options = parse_args(argv)
    started = time.perf_counter()
    os.makedirs(options.out, exist_ok=True)
    addresses = AddressPool()
    tenants = [Tenant(number, options, addresses) for number in range(1, options.tenants + 1)]
    late_ids = set()
    hour_check = HourCheck(late_ids)
    # gzip level 9 for the sample; for more mailboxes 6, twice as fast for 2% more bytes.
    level = 9 if options.mailboxes * options.tenants <= DEFAULT_MAILBOXES else 6
    output = Output(options.out, not options.no_gzip, level)
    ok = False
    try:
        day = tenants[0].first_day
        while day <= LAST_DAY:
            sink = Day()
            for tenant in tenants:
                tenant.run_day(day, sink)
                late_ids |= tenant.late_ids
            sink.signins.sort()
            output.write("signins", [e[2] for e in sink.signins])
            sink.ual.sort(key=lambda e: (e[0], e[1]))
            hour_check.day(sink.ual)
            if day >= NIGHT1:
                output.hold(sink.ual)
            else:
                output.write("ual", [e[2] for e in sink.ual])
            sink.signins.clear()   # (the tenants still hold the sink until the next day)
            sink.ual.clear()
            day += timedelta(days=1)

        attacker_entries = []
        for tenant in tenants:
            if tenant.attacked:
                tenant.intrusion()
                tenant.check_intrusion()
                for entry in tenant.attack:
                    for r in entry["records"]:
                        attacker_entries.append((r["CreationTime"], r["Id"], encode(r) + "\n"))
            tenant.check_signin_coverage()
        output.release(attacker_entries)
        ok = True
    finally:
        output.close(keep=ok)
    elapsed = time.perf_counter() - started

    out = sys.stdout
    n_benign = sum(t.counts["ual"] for t in tenants)
    n_attack = len(attacker_entries)
    n_ual = n_benign + n_attack
    interactive = sum(t.counts["interactive"] for t in tenants)
    n_sig = interactive + sum(t.counts["noninteractive"] for t in tenants)
    out.write(f"{output.names['ual']}: {n_ual} MailItemsAccessed records ({n_benign} benign, "
              f"{n_attack} attacker), {output.sizes['ual']} bytes\n")
    out.write(f"{output.names['signins']}: {n_sig} sign-ins ({interactive} interactive, {n_sig - interactive} "
              f"non-interactive), {output.sizes['signins']} bytes\n")
    out.write(f"delegate reads (LogonType 2): {sum(t.counts['delegate'] for t in tenants)}; late-night benign read: "
              + ", ".join(f"{c} {i}" for t in tenants for c, i in t.late_records) + "\n\n")
    out.write("users:\n")
    for tenant in tenants:
        for key in tenant.order[:len(USER_SPECS)]:
            u = tenant.users[key]
            out.write(f"  {key}: {u['upn']} mailbox {u['mailboxGuid']}\n")
        if len(tenant.order) > len(USER_SPECS):
            out.write(f"  ... and {len(tenant.order) - len(USER_SPECS)} more in {tenant.domain}\n")
    out.write("\nattacker sessions:\n")
    for tenant in tenants:
        for e in tenant.attack:
            recs = e["records"]
            out.write(f"  {e['night']} {tenant.users[e['victim']]['upn']} from {e['ip']}: AADSessionId {e['session']} "
                      f"UniqueTokenId {e['token']} IssuedAtTime {ual_time(e['issued'])}; {len(recs)} records "
                      f"{recs[0]['CreationTime']}..{recs[-1]['CreationTime']}\n")
    out.write("\nattacker records:\n")
    for tenant in tenants:
        for e in tenant.attack:
            for r in e["records"]:
                kind = r["OperationProperties"][0]["Value"]
                throttled = " THROTTLED" if r["OperationProperties"][1]["Value"] == "True" else ""
                items = "; ".join(f["Path"] + (" " + " ".join(i["InternetMessageId"] for i in f.get("FolderItems", []))
                                               if kind == "Bind" else "")
                                  for f in r["Folders"])
                out.write(f"  {r['CreationTime']} {r['Id']} {r['MailboxOwnerUPN'].split('@')[0]} {kind}{throttled} {items}\n")
    total = n_ual + n_sig
    sys.stderr.write(f"{total} records in {elapsed:.1f} s ({total / elapsed:,.0f} records/s), "
                     f"{options.tenants} tenant(s) x {options.mailboxes} mailboxes x {options.days} days, "
                     f"in {options.out}\n")


if __name__ == "__main__":
    main(sys.argv[1:])
