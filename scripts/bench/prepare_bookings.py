"""Prepares the booking load of scripts/bench-bookings.sh.

usage: prepare_bookings.py PORTAL_URL DATABASE_URL ACCOUNTS_JSON PEOPLE BOOKINGS OUT_FOLDER

Signs PEOPLE demo citizens in through the development identity provider's
own login page (as a browser does), gives them BOOKINGS new specialist
prescriptions, and writes two wrk input files of "cookie<TAB>nre<TAB>slot"
lines: spread.tsv (each line a different free slot of its service: the
launch-day load) and one-slot.tsv (every line the same earliest free slot).
"""

import http.cookiejar
import json
import re
import sqlite3
import subprocess
import sys
import urllib.parse
import urllib.request

portal, database_url, accounts_file, people, bookings, out = sys.argv[1:7]
people, bookings = int(people), int(bookings)

FREE_SLOTS = """
SELECT s.id, s.service_code FROM slots s
 WHERE substr(s.starts_at, 1, 10) > '{after}'
   AND s.service_code NOT LIKE 'VAC-%' AND s.service_code NOT LIKE 'SCR-%'
   AND NOT EXISTS (SELECT 1 FROM bookings b WHERE b.slot_id = s.id)
 ORDER BY s.starts_at, s.id LIMIT {limit}
"""


def query(sql):
    if database_url.startswith("sqlite:"):
        with sqlite3.connect(database_url.removeprefix("sqlite:")) as db:
            return [tuple(str(v) for v in row) for row in db.execute(sql)]
    result = subprocess.run(["psql", database_url, "-qAtF", "\t", "-v", "ON_ERROR_STOP=1", "-c", sql],
                            check=True, capture_output=True, text=True)
    return [tuple(line.split("\t")) for line in result.stdout.splitlines() if line]


def execute(statements):
    if database_url.startswith("sqlite:"):
        with sqlite3.connect(database_url.removeprefix("sqlite:")) as db:
            for statement in statements:
                db.execute(statement)
        return
    subprocess.run(["psql", database_url, "-q", "-v", "ON_ERROR_STOP=1", "-1"], input=";\n".join(statements) + ";\n",
                   check=True, capture_output=True, text=True)


def sign_in(account):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(portal + "/auth/login?return_to=/", timeout=30)
    login = re.search(r'action="(/interaction/[^"]+/login)"', page.read().decode()).group(1)
    issuer = urllib.parse.urlsplit(page.geturl())
    form = urllib.parse.urlencode({"account": account["sub"]}).encode()
    opener.open(f"{issuer.scheme}://{issuer.netloc}{login}", data=form, timeout=30).read()
    return "; ".join(f"{c.name}={c.value}" for c in jar if "portale_" in c.name)


accounts = [a for a in json.load(open(accounts_file)) if a.get("role") == "citizen"][:people]
cookies = [sign_in(account) for account in accounts]
assert all(cookies), "every sign-in gives a session"

import datetime
after = (datetime.date.today() + datetime.timedelta(days=2)).isoformat()
# The earliest free slot is the one everybody chases; the others are spread.
slots = query(FREE_SLOTS.format(after=after, limit=bookings + 1))
assert len(slots) == bookings + 1, f"only {len(slots)} free slots"
(first_slot, first_service), slots = slots[0], slots[1:]
today = datetime.date.today().isoformat()
until = (datetime.date.today() + datetime.timedelta(days=180)).isoformat()


def prescriptions(prefix, services):
    rows, lines = [], []
    for number, service in enumerate(services):
        person = number % len(accounts)
        nre = f"{prefix}{number:010d}"
        rows.append(f"('{nre}', '{accounts[person]['fiscal_code']}', 'specialist', 'red', 'P', '{service}', "
                    f"'Medico di medicina generale', '{today}', '{until}')")
        lines.append((person, nre))
    statements = [
        "INSERT INTO prescriptions (nre, person, kind, colour, priority, service_code, prescriber, issued_on, valid_until) VALUES "
        + ", ".join(rows[i:i + 1000]) for i in range(0, len(rows), 1000)
    ]
    execute(statements)
    return lines


spread = prescriptions("0709B", [service for _, service in slots])
with open(f"{out}/spread.tsv", "w") as file:
    for (person, nre), (slot, _) in zip(spread, slots):
        file.write(f"{cookies[person]}\t{nre}\t{slot}\n")
same = prescriptions("0709S", [first_service] * bookings)
with open(f"{out}/one-slot.tsv", "w") as file:
    for person, nre in same:
        file.write(f"{cookies[person]}\t{nre}\t{first_slot}\n")
print(f"prepared {len(spread)} bookings of different slots and {len(same)} of slot {first_slot}, {len(cookies)} people signed in")
