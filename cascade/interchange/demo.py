"""Northwind Digital: a fictional, realistic workspace to explore Cascade with.

Built as a `cascade/v1` document (dated relative to today, so waiting times stay true) and
loaded through the importer. It holds a few deliberate alignment gaps so the coherence
engine has something to show: an uncovered objective, stale and orphaned translations, a
team strategy connected to nothing, a dependency cycle, an unanswered blocker, divided
pulse answers and an overloaded team; and, from the second catalogue, measures with months
of check-ins (on pace, one behind and neglected, one stale, one whose confidence the
numbers contradict, one unmeasured objective beside measured ones), a horizon reaching
past its parent's, and dependency requests in every state (one declined).
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

import sqlalchemy as sa

SLUG = "northwind"
DOMAIN = "northwind.test"

UNITS = [  # key, name, parent
    ("northwind", "Northwind Digital", None),
    ("shop", "Shopping Experience", "northwind"),
    ("search", "Search & Discovery", "shop"),
    ("checkout", "Checkout", "shop"),
    ("mobile", "Mobile App", "shop"),
    ("fulfil", "Fulfilment Platform", "northwind"),
    ("warehouse", "Warehouse Systems", "fulfil"),
    ("delivery", "Last-Mile Delivery", "fulfil"),
    ("inventory", "Inventory Data", "fulfil"),
    ("platform", "Platform & Data", "northwind"),
    ("payments", "Payments", "platform"),
    ("identity", "Identity & Access", "platform"),
    ("insights", "Data Insights", "platform"),
]

PEOPLE = [  # local part, name, [(unit, role)]
    ("lea", "Lea Novak", [("northwind", "leader")]),
    ("omar", "Omar Haddad", [("shop", "leader")]),
    ("ines", "Inès Laurent", [("fulfil", "leader")]),
    ("ravi", "Ravi Menon", [("platform", "leader")]),
    ("sam", "Sam Okafor", [("checkout", "member")]),
    ("mia", "Mia Schmidt", [("search", "member"), ("mobile", "member")]),
    ("jon", "Jon Berg", [("delivery", "member")]),
    ("kim", "Kim Tanaka", [("payments", "member")]),
    ("chloe", "Chloé Martin", [("northwind", "coach")]),
    ("ada", "Ada Brooks", [("northwind", "admin")]),
]

# key, unit, parent, status, title, statement, extras
NODES = [
    ("vision", "northwind", None, "agreed", "Northwind 2027: the neighbourhood store, online",
     "By the end of 2027 a Northwind customer can get a week's groceries **as easily as "
     "walking to the corner shop**: found in minutes, delivered within the hour, with no "
     "surprises on price or substitutions.", {"revision": 2, "horizon": "2027"}),
    ("t-convenience", "northwind", "vision", "agreed", "Groceries in under an hour",
     "Speed is the promise customers choose us for. Every part of the journey, from search "
     "to the doorstep, should shorten the time between *I need it* and *I have it*.",
     {"horizon": "2027"}),
    ("t-trust", "northwind", "vision", "agreed", "Earn trust with every order",
     "Customers come back when the price they saw is the price they paid and the basket "
     "that arrives is the one they wanted.", {"horizon": "2027"}),
    ("t-efficiency", "northwind", "vision", "agreed", "A platform teams build on quickly",
     "Product teams should ship a customer-facing change in days, without waiting on "
     "shared services or tickets to other teams.", {"horizon": "2027"}),
    ("shop-1", "shop", "t-convenience", "agreed", "A weekly shop found and bought in 5 minutes",
     "Median time from opening the app to a paid basket of 30+ items drops from 14 to "
     "5 minutes for returning customers.", {"horizon": "2027-H1"}),
    ("shop-2", "shop", "t-trust", "agreed", "No surprises at checkout",
     "Fees, substitutions and delivery slots are visible before the customer commits. "
     "Checkout abandonment caused by price changes falls below 2%.",
     {"revision": 2, "horizon": "2027-H1"}),
    ("shop-3", "shop", "t-convenience", "retired", "A marketplace for local producers",
     "Retired in October: the marketplace is out of scope until 60-minute delivery works "
     "in all three launch cities.", {}),
    ("ful-1", "fulfil", "t-convenience", "agreed", "60-minute delivery in three launch cities",
     "90% of orders in Lyon, Leeds and Leipzig reach the customer within 60 minutes of "
     "payment.", {"horizon": "2027-H1"}),
    ("ful-2", "fulfil", "t-trust", "agreed", "Substitutions customers agree with",
     "Fewer than 1 in 20 substituted items are rejected at the door.", {"horizon": "2027-H2"}),
    ("ful-3", "fulfil", "t-efficiency", "agreed", "Automate store replenishment",
     "Stores reorder fast-moving lines automatically from sales and stock signals, so "
     "pickers stop finding empty shelves.", {"horizon": "2027-H2"}),
    ("plat-1", "platform", "t-efficiency", "agreed", "Self-service payments and identity",
     "A product team integrates payments or sign-in in a day, from documentation alone.",
     {"horizon": "2027-H1"}),
    ("plat-2", "platform", "t-trust", "agreed", "Fraud below 0.1% without blocking good customers",
     "Keep fraud losses under 0.1% of revenue while false declines stay under 0.5% of "
     "genuine orders.", {"revision": 3, "horizon": "2027"}),
    ("search-1", "search", "shop-1", "agreed", "A personal 'buy again' list on the home screen",
     "Returning customers see the 40 items they buy most, in the order they usually shop.",
     {}),
    ("search-1a", "search", "search-1", "proposed", "Ship 'buy again' to 10% of customers",
     "A/B test in Leeds first; success is a 20% shorter median basket-building time.", {}),
    ("search-1b", "search", "search-1", "draft", "Learn shopping order from past baskets",
     "Order the list the way each customer walks their usual store.", {}),
    ("search-2", "search", "shop-1", "agreed", "Search results in under 200 ms",
     "p95 latency of product search under 200 ms for the full 40,000-item catalogue.", {}),
    ("checkout-1", "checkout", "shop-2", "agreed", "The final price before the basket",
     "Delivery fee, bag charge and service fee are shown on the product page and in the "
     "basket, never first at payment.",
     {"depends_on": [{"node": "pay-1", "state": "requested", "needed_by": "2027-Q1"}]}),
    ("checkout-2", "checkout", "shop-2", "agreed", "One-tap reorder with a saved payment",
     "Customers repeat last week's order in one tap, paying with the saved method.",
     {"parent_revision_seen": 1}),
    ("checkout-3", "checkout", "shop-2", "proposed", "Accessible checkout (WCAG 2.2 AA)",
     "Every checkout step passes WCAG 2.2 AA and works with a screen reader.", {}),
    ("ck-kr1", "checkout", "checkout-1", "agreed", "Fees shown on every product tile",
     "Measured by UI audit: 100% of tiles in the app and on the web.", {}),
    ("ck-kr2", "checkout", "checkout-1", "agreed", "Price-change abandonment below 2%",
     "Tracked weekly from the checkout funnel.", {}),
    ("ck-kr3", "checkout", "checkout-1", "proposed", "Basket total matches payment to the cent",
     "Zero orders where the charged amount differs from the last basket total shown.", {}),
    ("ck-kr4", "checkout", "checkout-1", "draft", "Explain substitution price differences",
     "A line in the basket says why a substitute costs more or less.", {}),
    ("ck-kr5", "checkout", "checkout-1", "draft", "Bag charge opt-out for lockers",
     "Locker deliveries carry no bag charge.", {}),
    ("ck-kr6", "checkout", "checkout-1", "draft", "Voucher codes validated before payment",
     "Invalid vouchers are caught in the basket, not at payment.", {}),
    ("mobile-1", "mobile", "shop-1", "agreed", "A shopping list that works offline",
     "Customers build their list on the underground and it syncs when they surface.", {}),
    ("mobile-1a", "mobile", "mobile-1", "proposed", "Sync conflicts resolved without data loss",
     "Two devices editing the same list never lose an item.", {}),
    ("mobile-2", "mobile", "shop-2", "agreed", "Native wallet payments on iOS and Android",
     "Apple Pay and Google Pay in the app by the spring release.",
     {"depends_on": [{"node": "pay-1", "state": "committed",
                      "response": "Wallets are in the March release of the API."}]}),
    ("mobile-3", "mobile", "shop-3", "proposed", "Producer storefronts in the app",
     "Local producers get a storefront page with their story and range.", {}),
    ("warehouse-1", "warehouse", "ful-1", "agreed", "Pick a 40-item order in 12 minutes",
     "Pick paths follow the store layout; median pick time for 40 items under 12 minutes.",
     {"depends_on": ["inventory-1"]}),
    ("warehouse-1a", "warehouse", "warehouse-1", "proposed", "Handheld pick-path guidance",
     "Scanners show the next item and the shortest path to it.", {}),
    ("warehouse-2", "warehouse", "ful-2", "agreed", "Suggest substitutions at pick time",
     "Pickers get the three best substitutes, ranked by what the customer accepted before.",
     {"depends_on": [{"node": "inventory-1", "state": "declined",
                      "response": "Stock accuracy comes first; no capacity for substitution "
                                  "data this half."}]}),
    ("delivery-1", "delivery", "ful-1", "agreed", "Dynamic routing for riders",
     "Routes are re-planned every two minutes from live orders and traffic.",
     {"horizon": "2027-H2",
      "depends_on": [{"node": "identity-1", "state": "countered", "needed_by": "2027-Q3",
                      "response": "Rider sign-on comes after the web migration."}]}),
    ("delivery-1a", "delivery", "delivery-1", "proposed", "Batch two orders per ride at peak",
     "At peak, riders carry two orders on the same street without breaking 60 minutes.", {}),
    ("delivery-2", "delivery", "ful-1", "agreed", "Live rider tracking for customers",
     "Customers see the rider on a map for the last ten minutes.",
     {"depends_on": ["identity-3"]}),
    ("delivery-3", "delivery", None, "agreed", "Electric cargo bikes for all riders",
     "Replace scooters with cargo bikes by the end of 2027.", {}),
    ("inventory-1", "inventory", "ful-2", "agreed", "98% stock accuracy per store",
     "The system's stock count matches the shelf for 98% of lines in a weekly sample.",
     {"depends_on": ["warehouse-1"]}),
    ("inventory-2", "inventory", "shop-1", "proposed", "Real-time stock in search results",
     "Out-of-stock items drop out of search within a minute.",
     {"contributes_to": ["search-2"]}),
    ("pay-1", "payments", "plat-1", "agreed", "Payments API v2 with wallet support",
     "One documented API for cards, wallets and vouchers, with a sandbox.", {}),
    ("pay-1a", "payments", "pay-1", "proposed", "Sandbox with test wallets",
     "Teams test Apple Pay and Google Pay flows without real cards.", {}),
    ("pay-2", "payments", "plat-2", "agreed", "Risk scoring on every order",
     "Every order gets a risk score before capture; high scores trigger step-up.",
     {"parent_revision_seen": 2}),
    ("identity-1", "identity", "plat-1", "agreed", "Single sign-on across web and app",
     "One account, one session across web, iOS and Android.", {}),
    ("identity-2", "identity", "plat-2", "proposed", "Step-up verification for risky logins",
     "Unusual logins are asked for a second factor; normal ones are not.", {}),
    ("identity-3", "identity", "identity-1", "draft", "Rider identity verification",
     "Riders verify their identity once and the app trusts their device after that.", {}),
]

NOTES = [  # node, kind, stance, author, unit, days ago, body, status, response, extra
    ("t-convenience", "validation", "support", "omar", "shop", 40,
     "We read this as *speed of the whole journey*, not only delivery. Our objectives on "
     "basket building follow from that.", "acknowledged", "Exactly the intent.", {}),
    ("t-trust", "validation", "question", "ines", "fulfil", 35,
     "Does *trust* include substitutions, or only price? Our teams read it differently.",
     "incorporated", "Both. The statement now names substitutions explicitly.", {}),
    ("t-efficiency", "feasibility", "concern", "ravi", "platform", 30,
     "Self-service in a day needs documentation work we have not planned for.",
     "acknowledged", "Agreed; we will fund a docs sprint in Q1.", {}),
    ("shop-1", "experiment", "support", "mia", "search", 12,
     "We want to test whether a 'buy again' list shortens basket building more than "
     "better search.", "open", None,
     {"hypothesis": "Returning customers build a 30-item basket 20% faster with 'buy again'.",
      "measure": "Median basket-building time in a two-week A/B test in Leeds."}),
    ("shop-2", "feasibility", "concern", "sam", "checkout", 25,
     "Showing fees on every tile needs pricing data the catalogue service does not expose.",
     "open", None, {}),
    ("shop-2", "execution", "support", "sam", "checkout", 5,
     "Fee display is live on the web; the app follows next sprint.", "open", None, {}),
    ("ful-1", "feasibility", "blocker", "jon", "delivery", 21,
     "Live tracking depends on rider identity, which is still a draft in Identity & Access. "
     "We cannot commit to the date.", "open", None, {}),
    ("ful-1", "emergence", "question", "jon", "delivery", 3,
     "Riders started batching orders themselves at peak. Should routing support it?",
     "open", None, {}),
    ("ful-2", "emergence", "support", None, "warehouse", 18,
     "Pickers already phone customers about substitutions in Leipzig; acceptance is far "
     "higher. Worth learning from.", "incorporated",
     "Taken into revision 1 of warehouse-2: suggestions rank by past acceptance.", {}),
    ("plat-2", "execution", "concern", "kim", "payments", 9,
     "The new 0.5% false-decline target needs a model retrain; current scoring misses it.",
     "open", None, {}),
    ("vision", "coherence", "question", "omar", "shop", 16,
     "Does 'within the hour' apply to all cities from day one, or only the launch cities?",
     "declined", "Launch cities first; the vision stays ambitious on purpose.", {}),
    ("mobile-2", "experiment", "support", "mia", "mobile", 8,
     "Testing wallet-first checkout in the beta app.", "acknowledged", "Great, keep us posted.",
     {"hypothesis": "Wallet-first checkout lifts app conversion by 3 points.",
      "measure": "Conversion in the beta cohort over four weeks.",
      "learned": "Early data: +2.1 points, mostly on iOS."}),
    ("search-2", "execution", "blocker", "mia", "search", 2,
     "The search cluster upgrade is stuck waiting for a platform change window.",
     "open", None, {}),
    ("warehouse-1", "coherence", "concern", "ines", "fulfil", 11,
     "Warehouse and Inventory each wait for the other to go first.", "open", None, {}),
]

# Earlier revisions of the nodes the demo shows as revised, oldest first, so that stale
# translations can show exactly what changed in their parent.
HISTORY = {
    "vision": [("Northwind 2027: groceries online",
                "By the end of 2027 customers can order their weekly groceries online and "
                "get them delivered the same day.")],
    "shop-2": [("No surprises at checkout",
                "Fees and delivery slots are visible before payment. Checkout abandonment "
                "caused by price changes falls below 2%.")],
    "plat-2": [("Fraud below 0.1%",
                "Keep fraud losses under 0.1% of revenue."),
               ("Fraud below 0.1% without blocking good customers",
                "Keep fraud losses under 0.1% of revenue while false declines stay low.")],
}

# node, key, name, unit of measure, direction, baseline, target, cadence (days), check-ins:
# (days ago, value, confidence, author) — the measures start 120 days ago and are due in 180
MEASURES = [
    ("ck-kr1", "fee-tiles", "Product tiles showing all fees", "%", "increase", 0, 100, 14,
     [(110, 5, 6, "sam"), (80, 20, 6, "sam"), (52, 35, 7, "sam"), (24, 48, 7, "sam"),
      (6, 55, 8, "sam")]),
    ("ck-kr2", "abandonment", "Checkout abandonment after a price change", "%", "decrease",
     6, 2, 14, [(100, 5.8, 5, "sam"), (72, 5.1, 6, "sam"), (44, 4.6, 6, "omar"),
                (16, 4.1, 7, "sam"), (3, 4.0, 6, "omar")]),
    ("warehouse-2", "accepted-subs", "Substitutions accepted at the door", "%", "increase",
     80, 95, 14, [(105, 80, 7, None), (77, 81, 6, None), (49, 81.5, 6, None),
                  (21, 82, 5, None), (4, 82, 5, None)]),
    ("inventory-1", "stock-accuracy", "Stock accuracy per store", "%", "increase", 91, 98,
     14, [(112, 91.5, 6, None), (84, 93, 6, None), (56, 95, 7, None)]),
    ("pay-2", "false-declines", "False declines of genuine orders", "%", "decrease", 1.2,
     0.5, 30, [(95, 1.1, 4, "kim"), (62, 0.95, 3, "kim"), (30, 0.8, 3, "kim"),
               (7, 0.75, 2, "kim")]),
]

PULSE_STATEMENTS = [
    "I understand how this relates to my team's work",
    "I believe this is the right direction",
    "This is feasible for my team",
    "I know which teams we depend on for this",
]


def install(password_hash: str, now: datetime, replace: bool = False):
    """Load the demo through the importer, dated relative to `now`, with its revision
    history, a score trend and the demo password for every demo person; flushes, the caller
    commits."""
    from cascade import interchange
    from cascade.db import db
    from cascade.models import Node, NodeRevision, Person

    ws = interchange.load(document(now), replace=replace)
    nodes = {n.key: n for n in db.session.scalars(
        sa.select(Node).where(Node.workspace_id == ws.id, Node.key.in_(list(HISTORY))))}
    for key, earlier in HISTORY.items():
        for number, (title, statement) in enumerate(earlier, start=1):
            db.session.add(NodeRevision(node_id=nodes[key].id, revision=number, title=title,
                                        statement=statement))
    emails = [f"{local}@{DOMAIN}" for local, _, _ in PEOPLE]
    db.session.execute(sa.update(Person).where(Person.email.in_(emails))
                       .values(password_hash=password_hash))
    db.session.flush()
    _score_trend(ws, now.date())
    return ws


def _score_trend(ws, today, weeks: int = 6) -> None:
    """Weekly score snapshots for the past weeks, each analysing the workspace as of that
    day, so a coach can compare today's score with last month's on the first visit."""
    from cascade.findings import operations
    from cascade.findings.analysis import analyse_workspace

    for week in range(weeks, 0, -1):
        as_of = today - timedelta(weeks=week)
        operations.record_score(ws, analyse_workspace(ws, as_of), by=None)


def document(now: datetime) -> dict:
    """The whole demo as a `cascade/v1` document, dated relative to `now`."""
    nodes = []
    depth: dict[str, int] = {}
    measures = _measures(now)
    for key, unit, parent, status, title, statement, extra in NODES:
        depth[key] = depth[parent] + 1 if parent in depth else 0
        node = {"key": key, "title": title, "statement": statement, "unit": unit,
                "parent": parent, "status": status, **extra}
        if status == "agreed":
            node["agreed_at"] = _agreed_at(now, depth[key])
        if "depends_on" in node:
            node["depends_on"] = [_dependency(d, now) for d in node["depends_on"]]
        if key in measures:
            node["measures"] = measures[key]
        nodes.append(node)
    return {
        "format": "cascade/v1",
        "workspace": {"slug": SLUG, "name": "Northwind Digital"},
        "units": [{"key": k, "name": n, "parent": p} for k, n, p in UNITS],
        "people": [{"email": f"{local}@{DOMAIN}", "name": name,
                    "memberships": [{"unit": u, "role": r} for u, r in roles]}
                   for local, name, roles in PEOPLE],
        "nodes": nodes,
        "notes": [_note(row, now) for row in NOTES],
        "pulses": [_vision_pulse(now), _priorities_pulse(now)],
    }


def _stamp(moment: datetime) -> str:
    return moment.replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _dependency(entry, now: datetime):
    """A dependency request made a few days ago (a plain key stays a committed link)."""
    if isinstance(entry, str):
        return entry
    days = {"requested": 5, "countered": 9, "committed": 40, "declined": 30}[entry["state"]]
    return {"created_at": _stamp(now - timedelta(days=days, hours=1)), **entry}


def _measures(now: datetime) -> dict[str, list[dict]]:
    """Each measured node's measures with their check-ins, by node key."""
    start, due = (now - timedelta(days=120)).date(), (now + timedelta(days=180)).date()
    found: dict[str, list[dict]] = {}
    units = {key: unit for key, unit, *_ in NODES}
    for node, key, name, uom, direction, baseline, target, cadence, check_ins in MEASURES:
        found.setdefault(node, []).append({
            "key": key, "name": name, "unit_of_measure": uom, "direction": direction,
            "baseline": baseline, "target": target, "start": start.isoformat(),
            "due": due.isoformat(), "cadence_days": cadence,
            "check_ins": [{"value": value, "confidence": confidence,
                           "author": f"{author}@{DOMAIN}" if author else None,
                           "unit": units[node],
                           "created_at": _stamp(now - timedelta(days=days, hours=4))}
                          for days, value, confidence, author in check_ins]})
    return found


def _agreed_at(now: datetime, depth: int) -> str:
    """When a demo node was agreed: the vision about seven months ago, each level below a
    month later, the teams' own about three months ago; all well before the score trend's
    first week, so the grace after agreement changes none of its points."""
    agreed = (now - timedelta(days=210 - 30 * depth, hours=3)).replace(microsecond=0)
    return agreed.isoformat().replace("+00:00", "Z")


def _note(row, now: datetime) -> dict:
    node, kind, stance, author, unit, days, body, status, response, extra = row
    created = (now - timedelta(days=days, hours=2)).replace(microsecond=0)
    return {"node": node, "kind": kind, "stance": stance,
            "author": f"{author}@{DOMAIN}" if author else None, "unit": unit, "body": body,
            "status": status, "response": response,
            "created_at": created.isoformat().replace("+00:00", "Z"), **extra}


TEAMS = ["search", "checkout", "mobile", "warehouse", "delivery", "inventory", "payments",
         "identity"]


def _vision_pulse(now: datetime) -> dict:
    """Understood, but divided on direction and unclear on dependencies."""
    rng = random.Random(2026)
    patterns = {0: [4, 4, 5, 3, 4], 1: [1, 2, 5, 4, 5, 2], 2: [3, 4, 3, 2, 4], 3: [1, 2, 2, 3, 2]}
    statements = []
    for index, text in enumerate(PULSE_STATEMENTS):
        answers = [{"unit": team, "value": value, "role": "member"}
                   for team in TEAMS[:6] for value in rng.sample(patterns[index], 3)]
        statements.append({"text": text, "answers": answers})
    return {"key": "vision-q4", "title": "How the 2027 vision lands", "node": "vision",
            "status": "open", "opens_on": (now - timedelta(days=10)).date().isoformat(),
            "closes_on": (now + timedelta(days=4)).date().isoformat(), "units": TEAMS[:6],
            "statements": statements}


def _priorities_pulse(now: datetime) -> dict:
    """The panorama: every team on every theme, biased so some teams need attention."""
    rng = random.Random(7)
    lean = {"search": 4, "checkout": 4, "mobile": 3, "warehouse": 3, "delivery": 2,
            "inventory": 3, "payments": 4, "identity": 2}
    statements = []
    for theme in ("t-convenience", "t-trust", "t-efficiency"):
        answers = []
        for team in TEAMS:
            centre = lean[team] + (1 if theme == "t-convenience" else 0)
            spread = 2 if team in ("mobile", "inventory") else 1
            for _ in range(4):
                value = min(5, max(1, centre + rng.randint(-spread, spread)))
                answers.append({"unit": team, "value": value, "role": "member"})
        statements.append({"text": "I know how my team contributes to this priority",
                           "node": theme, "answers": answers})
    return {"key": "priorities-2027", "title": "Priorities 2027: where each team stands",
            "node": None, "status": "closed",
            "opens_on": (now - timedelta(days=45)).date().isoformat(),
            "closes_on": (now - timedelta(days=31)).date().isoformat(), "units": TEAMS,
            "statements": statements}
