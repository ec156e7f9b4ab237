#!/usr/bin/env python3
"""Generates the forged-token sample: one small tenant, 24 days of mail access and sign-ins, with a
Storm-0558-style intrusion on its last three weekday nights.

Python 3 standard library only. A fixed seed, no wall clock and no set/hash ordering make the output
byte-identical on every run:

    python3 samples/forged-token/generate.py

writes, next to this script,
    ual-mail-access.jsonl.gz   Unified Audit Log MailItemsAccessed records (collector JSON Lines)
    entra-signins.jsonl.gz     Entra ID sign-ins (Graph signIn objects, JSON Lines)
both gzip'd with mtime 0, and prints a summary of the attacker's records (used in README.md).
"""

import base64
import gzip
import io
import json
import os
import random
import sys
import uuid
from datetime import date, datetime, timedelta

SEED = 5580529
rng = random.Random(SEED)

OUT_DIR = os.path.dirname(os.path.abspath(__file__))
TENANT = "3c9d7e10-6a2b-4f8e-9d41-0b5e7c2a9f13"
DOMAIN = "fabrikam-gov.onmicrosoft.com"
FIRST_DAY = date(2023, 5, 8)   # Monday
LAST_DAY = date(2023, 5, 31)   # Wednesday
EXO = "00000002-0000-0ff1-ce00-000000000000"
SID_PREFIX = "S-1-5-21-2718281828-4590452353-602874713-"

# ---------------------------------------------------------------------------------------------------
# Random identifiers (all drawn from rng, so deterministic)


def new_uuid():
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def new_token():
    """A uniqueTokenIdentifier / UniqueTokenId: 16 bytes, base64url without padding (22 chars)."""
    return base64.urlsafe_b64encode(rng.getrandbits(128).to_bytes(16, "big")).rstrip(b"=").decode()


B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


def b64chars(n):
    return "".join(rng.choice(B64) for _ in range(n))


def hexchars(n):
    return "".join(rng.choice("0123456789ABCDEF") for _ in range(n))


def ual_time(t):
    return t.strftime("%Y-%m-%dT%H:%M:%S")


def graph_time(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def at(d, hour, minute=0, second=0):
    return datetime(d.year, d.month, d.day) + timedelta(hours=hour, minutes=minute, seconds=second)


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

# ---------------------------------------------------------------------------------------------------
# Places (documentation ranges only)

HQ = ("198.51.100.24", {"city": "Arlington", "state": "Virginia", "countryOrRegion": "US",
                        "geoCoordinates": {"altitude": None, "latitude": 38.8816, "longitude": -77.0910}})
BRANCH = ("203.0.113.57", {"city": "Denver", "state": "Colorado", "countryOrRegion": "US",
                           "geoCoordinates": {"altitude": None, "latitude": 39.7392, "longitude": -104.9903}})
HOME_DIRECTOR = ("203.0.113.88", {"city": "Alexandria", "state": "Virginia", "countryOrRegion": "US",
                                  "geoCoordinates": {"altitude": None, "latitude": 38.8048, "longitude": -77.0469}})
HOME_IT = ("198.51.100.73", {"city": "Falls Church", "state": "Virginia", "countryOrRegion": "US",
                             "geoCoordinates": {"altitude": None, "latitude": 38.8823, "longitude": -77.1711}})
REMOTE = ("198.51.100.140", {"city": "Raleigh", "state": "North Carolina", "countryOrRegion": "US",
                             "geoCoordinates": {"altitude": None, "latitude": 35.7796, "longitude": -78.6382}})

COMMON_FOLDERS = ["\\Inbox", "\\Sent Items", "\\Drafts", "\\Archive", "\\Deleted Items"]

# key, upn local part, display name, weekday clients (weights), weekday places (weights), extra folders
USER_SPECS = [
    ("director", "miriam.okafor", "Miriam Okafor", [("desktop", 8), ("ios", 2)], [(HQ, 9), (HOME_DIRECTOR, 1)],
     ["\\Inbox\\Board", "\\Inbox\\Finance", "\\Inbox\\Legal", "\\Projects\\Harbor Bridge",
      "\\Projects\\Budget FY24", "\\Inbox\\Congressional"]),
    ("finance", "daniel.lindqvist", "Daniel Lindqvist", [("desktop", 1)], [(HQ, 1)],
     ["\\Inbox\\Finance", "\\Inbox\\Audit", "\\Inbox\\Payroll", "\\Projects\\Budget FY24", "\\Vendors"]),
    ("legal", "samira.haddad", "Samira Haddad", [("owa", 1)], [(BRANCH, 1)],
     ["\\Inbox\\Legal", "\\Inbox\\Contracts", "\\Inbox\\Litigation", "\\Projects\\Harbor Bridge", "\\FOIA Requests"]),
    ("assistant", "priya.nguyen", "Priya Nguyen", [("desktop", 1)], [(HQ, 1)],
     ["\\Inbox\\Travel", "\\Inbox\\Calendar Requests"]),
    ("it", "tom.brennan", "Tom Brennan", [("desktop", 1)], [(HQ, 1)],
     ["\\Inbox\\Alerts", "\\Inbox\\Vendors", "\\Projects\\Tenant Migration"]),
    ("analyst", "rafael.costa", "Rafael Costa", [("owa", 1)], [(BRANCH, 1)],
     ["\\Inbox\\Reports", "\\Projects\\Harbor Bridge"]),
    ("comms", "julia.meyer", "Julia Meyer", [("android", 3), ("owa", 2)], [(BRANCH, 1)],
     ["\\Inbox\\Press", "\\Inbox\\Social"]),
    ("procurement", "kenji.sato", "Kenji Sato", [("desktop", 1)], [(REMOTE, 1)],
     ["\\Inbox\\Bids", "\\Vendors"]),
]

SERVERS = ["SA1PR09MB8012", "BN0PR09MB7345", "CY1PR09MB9477", "PH0PR09MB8526", "SJ0PR09MB6611",
           "DM8PR09MB7058", "MN2PR09MB5924", "BY5PR09MB6180"]

STORE_PREFIX = "LgAAAAA" + b64chars(23)
USERS = {}
for index, (key, local, name, clients, places, extra) in enumerate(USER_SPECS):
    user = {
        "key": key,
        "upn": f"{local}@{DOMAIN}",
        "name": name,
        "objectId": new_uuid(),
        "userKey": "1003" + hexchars(12),
        "sid": SID_PREFIX + str(1104 + index * 7),
        "mailboxGuid": new_uuid(),
        "server": SERVERS[index],
        "clients": clients,
        "places": places,
        "folders": COMMON_FOLDERS + extra,
        "devices": {},
    }
    for client_name, _ in clients + [("ios", 0)]:
        if client_name in user["devices"]:
            continue
        if client_name == "desktop":
            user["devices"][client_name] = {"deviceId": new_uuid(), "displayName": f"FABGOV-LT-{201 + index:04d}",
                                            "operatingSystem": "Windows10", "browser": "Rich Client 5.2.8.0",
                                            "isCompliant": True, "isManaged": True, "trustType": "Azure AD joined"}
        elif client_name == "owa":
            user["devices"][client_name] = {"deviceId": new_uuid(), "displayName": f"FABGOV-WS-{301 + index:04d}",
                                            "operatingSystem": "Windows10", "browser": "Edge 113.0.1774",
                                            "isCompliant": True, "isManaged": True, "trustType": "Hybrid Azure AD joined"}
        elif client_name == "ios":
            user["devices"][client_name] = {"deviceId": new_uuid(), "displayName": f"{name.split()[0]}'s iPhone",
                                            "operatingSystem": "Ios 16.4", "browser": "Mobile Safari",
                                            "isCompliant": True, "isManaged": True, "trustType": "Azure AD registered"}
        else:
            user["devices"][client_name] = {"deviceId": new_uuid(), "displayName": "Pixel 7",
                                            "operatingSystem": "Android 13", "browser": "Rich Client 4.2316.1",
                                            "isCompliant": True, "isManaged": True, "trustType": "Azure AD registered"}
    # Exchange entry ids: a store prefix shared by the tenant, the mailbox, then the folder or item.
    store = b64chars(16)
    user["folderIds"] = {path: STORE_PREFIX + "B" + store + b64chars(10) + "AAAB" for path in user["folders"]}
    user["itemPrefix"] = "RgAAAAA" + STORE_PREFIX[7:] + "cA" + store
    USERS[key] = user

ORDER = [spec[0] for spec in USER_SPECS]


def weighted(choices):
    total = sum(w for _, w in choices)
    pick = rng.uniform(0, total)
    for value, weight in choices:
        pick -= weight
        if pick <= 0:
            return value
    return choices[-1][0]


# ---------------------------------------------------------------------------------------------------
# Mail: each mailbox gets messages over time; reads pick from what has arrived.

MAIL = {key: {path: [] for path in USERS[key]["folders"]} for key in ORDER}


def new_message(user, path, arrived):
    sender = rng.choice(SERVERS + ["BL0PR09MB4321", "IA1PR09MB7756", "LV8PR09MB9034"])
    msg = {
        "imid": f"<{sender}{hexchars(28)}@{sender}.namprd09.prod.outlook.com>",
        "size": rng.randint(6000, 420000) if rng.random() < 0.8 else rng.randint(420000, 4800000),
        "id": user["itemPrefix"] + b64chars(12) + "AAAJ",
        "arrived": arrived,
        "path": path,
    }
    MAIL[user["key"]][path].append(msg)
    return msg


def deliver(day):
    """The day's new mail, arriving from 05:00 to 19:00 (older mail arrives before the first day)."""
    for key in ORDER:
        user = USERS[key]
        for _ in range(rng.randint(5, 10)):
            path = weighted([("\\Inbox", 6)] + [(p, 1) for p in user["folders"][5:]] + [("\\Sent Items", 2)])
            new_message(user, path, at(day, 5) + timedelta(seconds=rng.randint(0, 14 * 3600)))


for key in ORDER:
    for path in USERS[key]["folders"]:
        if path not in ("\\Drafts", "\\Deleted Items"):
            for _ in range(4):
                new_message(USERS[key], path, datetime(2023, 5, 1) + timedelta(seconds=rng.randint(0, 6 * 86400)))


def arrived_before(key, path, t):
    return [m for m in MAIL[key][path] if m["arrived"] < t]


# ---------------------------------------------------------------------------------------------------
# Records

SIGNINS = []
UAL = []


def sign_in(user, client_name, place, t, session, interactive):
    client = CLIENTS[client_name]
    token = new_token()
    SIGNINS.append({
        "id": new_uuid(),
        "createdDateTime": graph_time(t),
        "userDisplayName": user["name"],
        "userPrincipalName": user["upn"],
        "userId": user["objectId"],
        "appId": client["appId"],
        "appDisplayName": client["appDisplayName"],
        "ipAddress": place[0],
        "clientAppUsed": client["clientAppUsed"],
        "correlationId": new_uuid(),
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
        "sessionId": session,
        "uniqueTokenIdentifier": token,
        "signInEventTypes": ["interactiveUser" if interactive else "nonInteractiveUser"],
    })
    return (t, token)


def mail_access(t, actor, owner, client, ip, access, folders, session, token_issued, token,
                logon_type=0, throttled=False, attacker_app=None):
    """One MailItemsAccessed record. folders: list of (path, [messages]) (Sync: messages empty)."""
    app = attacker_app or client["appId"]
    rest = attacker_app is not None or client["rest"]
    record = {
        "CreationTime": ual_time(t),
        "Id": new_uuid(),
        "Operation": "MailItemsAccessed",
        "OrganizationId": TENANT,
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
        "ClientInfoString": "Client=REST;Client=RESTSystem;;" if attacker_app else client["clientInfo"],
        "ExternalAccess": False,
        "InternalLogonType": logon_type,
        "LogonType": logon_type,
        "LogonUserSid": actor["sid"],
        "MailboxGuid": owner["mailboxGuid"],
        "MailboxOwnerSid": owner["sid"],
        "MailboxOwnerUPN": owner["upn"],
        "OperationProperties": [{"Name": "MailAccessType", "Value": access},
                                {"Name": "IsThrottled", "Value": "True" if throttled else "False"}],
        "OrganizationName": DOMAIN,
        "OriginatingServer": f"{owner['server']} (15.20.6433.024)",
        "SessionId": session,
        "AppAccessContext": {"AADSessionId": session, "IssuedAtTime": ual_time(token_issued),
                             "UniqueTokenId": token, "CorrelationId": new_uuid()},
    }
    if client is not None and client is CLIENTS["desktop"] and access == "Sync":
        del record["ClientAppId"]  # Outlook desktop Sync records carry no ClientAppId
    if rest:
        record["AppAccessContext"]["APIId"] = EXO
        record["AppAccessContext"]["ClientAppId"] = app
        record["TokenObjectId"] = owner["objectId"] if logon_type == 0 else actor["objectId"]
        record["TokenTenantId"] = TENANT
    out_folders = []
    count = 0
    for path, messages in folders:
        folder = {}
        if access == "Bind":
            folder["FolderItems"] = [{"InternetMessageId": m["imid"], "SizeInBytes": m["size"], "Id": m["id"]}
                                     for m in messages]
            count += len(messages)
        folder["Id"] = owner["folderIds"][path]
        folder["Path"] = path
        out_folders.append(folder)
    record["Folders"] = out_folders
    record["OperationCount"] = count if access == "Bind" else 1
    UAL.append(record)
    return record


def pick_unread(key, path, t, n, read):
    """Up to n messages of the folder that had arrived by t, newest unread first."""
    available = [m for m in arrived_before(key, path, t) if m["imid"] not in read]
    available.sort(key=lambda m: m["arrived"], reverse=True)
    head = available[: max(n * 2, 4)]
    rng.shuffle(head)
    return head[:n]


def bind_folders(user_key, t, read, paths=None):
    user = USERS[user_key]
    nfolders = 1 if rng.random() < 0.7 else 2
    folders = []
    remaining = rng.randint(1, 4)
    candidates = paths or [p for p in user["folders"] if p not in ("\\Drafts", "\\Deleted Items")]
    tried = 0
    while len(folders) < nfolders and tried < 10:
        tried += 1
        path = weighted([(p, 5 if p == "\\Inbox" else 1) for p in candidates])
        if any(p == path for p, _ in folders):
            continue
        n = remaining if len(folders) == nfolders - 1 else max(1, remaining // 2)
        msgs = pick_unread(user_key, path, t, n, read)
        if msgs:
            folders.append((path, msgs))
            remaining -= len(msgs)
            for m in msgs:
                read.add(m["imid"])
        if remaining <= 0:
            break
    return folders


# ---------------------------------------------------------------------------------------------------
# Benign days

LATE_NIGHT = (date(2023, 5, 25), "finance")     # a benign near miss for unusual-hour detection
WEEKEND = {5: ("director", "ios", HOME_DIRECTOR), 6: ("it", "ios", HOME_IT)}   # Saturday, Sunday
READ = {key: set() for key in ORDER}             # messages each mailbox owner has read
BENIGN_SESSIONS = []                             # (user, day, session)
DELEGATE_RECORDS = []
HOUR_SEEN = {}                                   # (mailbox owner, hour) -> last day the owner read mail then
LATE_RECORDS = []


def current_token(tokens, t):
    issued = [x for x in tokens if x[0] <= t]
    return issued[-1]


def workday(day, key):
    user = USERS[key]
    client_name = weighted(user["clients"])
    client = CLIENTS[client_name]
    place = weighted(user["places"])
    start = at(day, 7) + timedelta(seconds=rng.randint(0, 75 * 60))
    end = at(day, 16, 20) + timedelta(seconds=rng.randint(0, 39 * 60))
    session = new_uuid()
    BENIGN_SESSIONS.append((key, day, session))
    tokens = [sign_in(user, client_name, place, start, session, True)]
    t = start
    while True:
        t = t + timedelta(seconds=rng.randint(60 * 60, 120 * 60))
        if t >= end:
            break
        tokens.append(sign_in(user, client_name, place, t, session, False))
    late = LATE_NIGHT == (day, key)
    if late:
        tokens.append(sign_in(user, client_name, place, at(day, 21, 57, 12), session, False))

    # Mail is checked on arrival, before leaving, and a few times in between.
    n = rng.randint(5, 8)
    first = start + timedelta(seconds=rng.randint(60, 480))
    last = end - timedelta(seconds=rng.randint(0, 1200))
    slot = (last - first) / (n - 2)
    times = [first] + [first + slot * i + timedelta(seconds=rng.randint(0, int(slot.total_seconds())))
                       for i in range(n - 2)] + [last]
    # Nobody goes a week without reading mail between 08:00 and 16:00: an hour of the working day that
    # has had no read for six days gets one (in place of another read on a full day).
    for hour in range(8, 16):
        seen = HOUR_SEEN.get((key, hour))
        if (seen is None or day - seen >= timedelta(days=6)) and all(x.hour != hour for x in times):
            t = at(day, hour) + timedelta(seconds=rng.randint(0, 3599))
            if first < t < last:
                if len(times) < 8:
                    times.append(t)
                else:
                    times[rng.randint(1, len(times) - 2)] = t
                times.sort()
    for t in times:
        HOUR_SEEN[(key, t.hour)] = day
    for t in times:
        issued, token = current_token(tokens, t)
        if rng.random() < 0.12:
            path = rng.choice(["\\Inbox", "\\Inbox", "\\Sent Items"] + user["folders"][5:])
            mail_access(t, user, user, client, place[0], "Sync", [(path, [])], session, issued, token)
        else:
            folders = bind_folders(key, t, READ[key])
            if folders:
                mail_access(t, user, user, client, place[0], "Bind", folders, session, issued, token)

    if key == "assistant" and rng.random() < 0.45:
        # Priya reads the director's mailbox as a delegate (LogonType 2), in her own session.
        director = USERS["director"]
        for _ in range(rng.randint(1, 2)):
            t = start + timedelta(seconds=rng.randint(30 * 60, int((end - start).total_seconds()) - 600))
            issued, token = current_token(tokens, t)
            path = rng.choice(["\\Inbox", "\\Inbox", "\\Inbox\\Board"])
            msgs = pick_unread("director", path, t, rng.randint(1, 2), set())
            if msgs:
                DELEGATE_RECORDS.append(mail_access(t, user, director, client, place[0], "Bind", [(path, msgs)],
                                                    session, issued, token, logon_type=2))
    if late:
        t = at(day, 22, 4, 31)
        issued, token = current_token(tokens, t)
        folders = [("\\Inbox\\Finance", pick_unread(key, "\\Inbox\\Finance", t, 2, READ[key]))]
        LATE_RECORDS.append(mail_access(t, user, user, client, place[0], "Bind", folders, session, issued, token))


def weekend_day(day, key, client_name, place):
    """A quick look at the phone on a weekend morning, from home."""
    user = USERS[key]
    client = CLIENTS[client_name]
    start = at(day, 8) + timedelta(seconds=rng.randint(0, 50 * 60))
    session = new_uuid()
    BENIGN_SESSIONS.append((key, day, session))
    tokens = [sign_in(user, client_name, place, start, session, True)]
    for i in range(rng.randint(1, 2)):
        t = start + timedelta(seconds=rng.randint(60, 1500) + i * 1500)
        issued, token = current_token(tokens, t)
        folders = bind_folders(key, t, READ[key], ["\\Inbox"])
        if folders:
            mail_access(t, user, user, client, place[0], "Bind", folders, session, issued, token)
    sign_in(user, client_name, place, start + timedelta(seconds=rng.randint(62 * 60, 80 * 60)), session, False)


day = FIRST_DAY
while day <= LAST_DAY:
    deliver(day)
    if day.weekday() < 5:
        for key in ORDER:
            workday(day, key)
    else:
        key, client_name, place = WEEKEND[day.weekday()]
        weekend_day(day, key, client_name, place)
    day += timedelta(days=1)

BENIGN_COUNT = len(UAL)

# ---------------------------------------------------------------------------------------------------
# The intrusion: forged tokens, no sign-in, an application never seen in the tenant, REST, night hours.

ATTACK_APP = "4b0964e4-58f1-47f4-a552-e2e1fc56dcd7"
ATTACK = []   # (night, victim, ip, session, token, [records])
ATTACKER_READ = {}


def forged_session(night, victim, ip, first_access):
    session = new_uuid()
    token = new_token()
    issued = first_access - timedelta(seconds=rng.randint(90, 240))
    entry = {"night": night, "victim": victim, "ip": ip, "session": session, "token": token,
             "issued": issued, "records": []}
    ATTACK.append(entry)
    return entry


def attack_record(entry, t, access, folders, throttled=False):
    owner = USERS[entry["victim"]]
    record = mail_access(t, owner, owner, None, entry["ip"], access, folders, entry["session"], entry["issued"],
                         entry["token"], throttled=throttled, attacker_app=ATTACK_APP)
    entry["records"].append(record)
    return record


def attacker_binds(entry, t, reads, prefer, throttle_index=None):
    """reads: number of Bind records; prefer: folders the actor goes after. Returns the time after."""
    key = entry["victim"]
    taken = ATTACKER_READ.setdefault(key, set())   # the actor does not read a message twice
    for i in range(reads):
        t = t + timedelta(seconds=rng.randint(40, 150))
        path = prefer[i % len(prefer)]
        msgs = pick_unread(key, path, t, rng.randint(1, 2), taken)
        for m in msgs:
            taken.add(m["imid"])
        if msgs:
            attack_record(entry, t, "Bind", [(path, msgs)], throttled=(i == throttle_index))
    return t


def sync_burst(entry, t, paths):
    for path in paths:
        t = t + timedelta(seconds=rng.randint(55, 110))
        attack_record(entry, t, "Sync", [(path, [])])
    return t


night1 = date(2023, 5, 29)
director_folders = ["\\Inbox", "\\Sent Items", "\\Inbox\\Board", "\\Inbox\\Finance", "\\Inbox\\Legal", "\\Drafts",
                    "\\Archive", "\\Projects\\Harbor Bridge", "\\Projects\\Budget FY24", "\\Inbox\\Congressional",
                    "\\Deleted Items"]
finance_folders = ["\\Inbox", "\\Sent Items", "\\Inbox\\Finance", "\\Inbox\\Audit", "\\Inbox\\Payroll", "\\Drafts",
                   "\\Archive", "\\Projects\\Budget FY24", "\\Vendors", "\\Deleted Items"]
legal_folders = ["\\Inbox", "\\Sent Items", "\\Inbox\\Legal", "\\Inbox\\Contracts", "\\Inbox\\Litigation",
                 "\\Drafts", "\\Archive", "\\Projects\\Harbor Bridge", "\\FOIA Requests"]

# Night 1 (Monday 2023-05-29): the three mailboxes are opened within ten minutes of each other; each is
# first synced folder by folder, then selected messages are read.
d1 = forged_session(night1, "director", "146.70.157.45", at(night1, 1, 12, 7))
f1 = forged_session(night1, "finance", "185.38.142.229", at(night1, 1, 16, 44))
l1 = forged_session(night1, "legal", "192.0.2.77", at(night1, 1, 20, 31))
t = sync_burst(d1, at(night1, 1, 12, 7) - timedelta(seconds=60), director_folders)
attacker_binds(d1, t, 5, ["\\Inbox\\Board", "\\Inbox\\Finance", "\\Inbox", "\\Projects\\Harbor Bridge",
                          "\\Inbox\\Congressional"], throttle_index=3)
t = sync_burst(f1, at(night1, 1, 16, 44) - timedelta(seconds=60), finance_folders)
attacker_binds(f1, t, 4, ["\\Inbox\\Finance", "\\Projects\\Budget FY24", "\\Inbox\\Audit", "\\Inbox"])
t = sync_burst(l1, at(night1, 1, 20, 31) - timedelta(seconds=60), legal_folders)
attacker_binds(l1, t, 3, ["\\Inbox\\Litigation", "\\Projects\\Harbor Bridge", "\\Inbox\\Legal"])

# Night 2 (Tuesday 2023-05-30): back for the new mail of the director and of legal.
night2 = date(2023, 5, 30)
d2 = forged_session(night2, "director", "185.38.142.229", at(night2, 2, 36, 18))
l2 = forged_session(night2, "legal", "192.0.2.91", at(night2, 2, 49, 2))
attacker_binds(d2, at(night2, 2, 36, 18) - timedelta(seconds=60), 2, ["\\Inbox", "\\Inbox\\Board"])
attacker_binds(l2, at(night2, 2, 49, 2) - timedelta(seconds=60), 2, ["\\Inbox", "\\Inbox\\Legal"])

# Night 3 (Wednesday 2023-05-31): director and finance again, each an Inbox sync then reads.
night3 = date(2023, 5, 31)
d3 = forged_session(night3, "director", "146.70.157.45", at(night3, 3, 41, 55))
f3 = forged_session(night3, "finance", "192.0.2.91", at(night3, 4, 2, 19))
t = sync_burst(d3, at(night3, 3, 41, 55) - timedelta(seconds=60), ["\\Inbox"])
attacker_binds(d3, t, 2, ["\\Inbox", "\\Inbox\\Finance"])
t = sync_burst(f3, at(night3, 4, 2, 19) - timedelta(seconds=60), ["\\Inbox"])
attacker_binds(f3, t, 2, ["\\Inbox", "\\Inbox\\Finance"])

# ---------------------------------------------------------------------------------------------------
# Checks: the story holds, so that a change to this script cannot silently break it.

signin_ids = set()
for s in SIGNINS:
    signin_ids.add(s["sessionId"])
    signin_ids.add(s["uniqueTokenIdentifier"])
tokens_by_value = {s["uniqueTokenIdentifier"]: s for s in SIGNINS}
attack_ids = set()
for entry in ATTACK:
    assert entry["session"] not in signin_ids and entry["token"] not in signin_ids
    assert entry["records"], entry
    for r in entry["records"]:
        attack_ids.add(r["Id"])
        assert r["CreationTime"][11:13] < "09"
for r in UAL:
    if r["Id"] in attack_ids:
        continue
    ctx = r["AppAccessContext"]
    s = tokens_by_value[ctx["UniqueTokenId"]]
    assert s["sessionId"] == ctx["AADSessionId"] and s["userPrincipalName"] == r["UserId"], r["Id"]
    assert s["createdDateTime"][:19] <= r["CreationTime"], r["Id"]
    assert s["ipAddress"] == r["ClientIPAddress"] and s["appId"] == r["AppId"], r["Id"]
    assert r["AppId"] != ATTACK_APP
for entry in ATTACK:
    if entry["night"] == night1:
        syncs = [r for r in entry["records"] if r["OperationProperties"][0]["Value"] == "Sync"]
        paths = [r["Folders"][0]["Path"] for r in syncs]
        assert len(set(paths)) >= 9
        span = datetime.fromisoformat(syncs[-1]["CreationTime"]) - datetime.fromisoformat(syncs[0]["CreationTime"])
        assert span <= timedelta(minutes=20), span
        binds = sum(r["OperationCount"] for e in ATTACK if e["victim"] == entry["victim"] for r in e["records"]
                    if r["OperationProperties"][0]["Value"] == "Bind")
        assert 5 <= binds <= 15, (entry["victim"], binds)


# Benign mail is read at the hours each mailbox is usually read at (FW1006's rule: an hour not seen in the
# previous 14 days, once the mailbox has 14 days and 5 days of reads), except the one late-night read.
first_read = {}
last_at_hour = {}
days_read = {}
for r in sorted(UAL, key=lambda r: r["CreationTime"]):
    if r["Id"] in attack_ids:
        continue
    box = r["MailboxOwnerUPN"]
    t = datetime.fromisoformat(r["CreationTime"])
    first_read.setdefault(box, t)
    days_read.setdefault(box, set()).add(t.date())
    established = t - first_read[box] >= timedelta(days=14) and len(days_read[box]) >= 5
    seen = last_at_hour.get((box, t.hour))
    if established and (seen is None or seen < t - timedelta(days=14)):
        assert r in LATE_RECORDS, ("benign read at an unusual hour", r["CreationTime"], box)
    last_at_hour[(box, t.hour)] = t


def hours_covered(records, field):
    hours = sorted({datetime.fromisoformat(r[field][:19]).replace(minute=0, second=0) for r in records})
    gaps = [(b - a) for a, b in zip(hours, hours[1:])]
    return max(gaps)


# Both sign-in logs run without a gap of more than a day (nights and weekends included), so that a reader
# can tell "no sign-in created this session" from "the sign-in log is missing here".
for kind in ("interactiveUser", "nonInteractiveUser"):
    gap = hours_covered([s for s in SIGNINS if s["signInEventTypes"] == [kind]], "createdDateTime")
    assert gap <= timedelta(hours=25), (kind, gap)

# ---------------------------------------------------------------------------------------------------
# Output


def write_gz(name, records, key):
    records = sorted(records, key=key)
    text = "".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n" for r in records)
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, compresslevel=9, mtime=0) as gz:
        gz.write(text.encode("utf-8"))
    with open(os.path.join(OUT_DIR, name), "wb") as f:
        f.write(buffer.getvalue())
    return len(records), len(buffer.getvalue())


n_ual, size_ual = write_gz("ual-mail-access.jsonl.gz", UAL, lambda r: (r["CreationTime"], r["Id"]))
n_sig, size_sig = write_gz("entra-signins.jsonl.gz", SIGNINS, lambda r: (r["createdDateTime"], r["id"]))

out = sys.stdout
interactive = sum(1 for s in SIGNINS if s["isInteractive"])
out.write(f"ual-mail-access.jsonl.gz: {n_ual} MailItemsAccessed records ({BENIGN_COUNT} benign, "
          f"{n_ual - BENIGN_COUNT} attacker), {size_ual} bytes\n")
out.write(f"entra-signins.jsonl.gz: {n_sig} sign-ins ({interactive} interactive, {n_sig - interactive} "
          f"non-interactive), {size_sig} bytes\n")
out.write(f"delegate reads (LogonType 2): {len(DELEGATE_RECORDS)}; late-night benign read: "
          + ", ".join(f"{r['CreationTime']} {r['Id']}" for r in LATE_RECORDS) + "\n\n")
out.write("users:\n")
for key in ORDER:
    u = USERS[key]
    out.write(f"  {key}: {u['upn']} mailbox {u['mailboxGuid']}\n")
out.write("\nattacker sessions:\n")
for e in ATTACK:
    recs = e["records"]
    out.write(f"  {e['night']} {USERS[e['victim']]['upn']} from {e['ip']}: AADSessionId {e['session']} "
              f"UniqueTokenId {e['token']} IssuedAtTime {ual_time(e['issued'])}; {len(recs)} records "
              f"{recs[0]['CreationTime']}..{recs[-1]['CreationTime']}\n")
out.write("\nattacker records:\n")
for e in ATTACK:
    for r in e["records"]:
        kind = r["OperationProperties"][0]["Value"]
        throttled = " THROTTLED" if r["OperationProperties"][1]["Value"] == "True" else ""
        items = "; ".join(f["Path"] + (" " + " ".join(i["InternetMessageId"] for i in f.get("FolderItems", [])) if kind == "Bind" else "")
                          for f in r["Folders"])
        out.write(f"  {r['CreationTime']} {r['Id']} {r['MailboxOwnerUPN'].split('@')[0]} {kind}{throttled} {items}\n")
