"""The demo's engagement records: one neighbourhood team's KIN and local priorities with monthly perceptions,
tension returns with a rise in the last week, and an analyst-approved public release. Deterministic; loaded once.

Members are described by the part of the community they speak for, never by a name.
"""

from __future__ import annotations

import datetime as dt
import random

GROUPS = (("Faith", "Places of worship and faith leaders"), ("Business", "Shops, pubs and employers"),
          ("Youth", "Young people and youth services"), ("New communities", "People who have recently settled here"),
          ("Older people", "Older residents and their groups"), ("Disability", "Disabled people and their groups"))
MEMBERS = (("Chair of the residents' association", ["Older people"]), ("Secretary of the mosque committee", ["Faith"]),
           ("Vicar of the parish church", ["Faith"]), ("Manager of the shopping precinct", ["Business"]),
           ("Licensee of the market pub", ["Business"]), ("Youth club leader", ["Youth"]),
           ("Head of the secondary school", ["Youth"]), ("Volunteer at the refugee drop-in", ["New communities"]),
           ("Organiser of the Polish Saturday school", ["New communities"]), ("Warden of the sheltered housing", ["Older people"]),
           ("Chair of the tenants' federation", []), ("Newsagent on the high street", ["Business"]))
MONTHS = [dt.date(2013, m, 1) for m in (10, 11, 12)] + [dt.date(2014, m, 1) for m in (1, 2, 3)]
# (title, raised by, raised on, you said, members seeing progress each month, what was done)
PRIORITIES = (
    ("Anti-social behaviour in the shopping precinct", "panel", dt.date(2013, 9, 12),
     "Groups gather in the precinct in the evenings and shoppers feel intimidated.", (3, 4, 6, 8, 10, 11),
     [("Joint patrols with the precinct's security on Friday and Saturday evenings", dt.date(2013, 10, 18)),
      ("Youth club opening hours extended with the council", dt.date(2014, 1, 10))]),
    ("Speeding on the approach road", "survey", dt.date(2013, 9, 30),
     "Cars speed past the primary school at going-home time.", (5, 6, 6, 7, 6, 6),
     [("Speed checks with the community speed watch volunteers", dt.date(2013, 11, 4))]),
    ("Drug dealing near the railway station", "partnership", dt.date(2013, 10, 2),
     "Dealing in the station car park, and needles left in the underpass.", (2, 2, 3, 2, 2, 2), []),
)


def _neighbourhood():
    """The demo inspector's home (the equality demo's profile neighbourhood), so every page of theirs opens on
    one team's records; the first neighbourhood when that one is missing."""
    from citizenfocus.areas.models import Neighbourhood
    from citizenfocus.equality.demo import INSPECTOR_HOME

    hoods = Neighbourhood.objects.filter(archived=False).select_related("division")
    return hoods.filter(code=INSPECTOR_HOME).first() or hoods.order_by("division__name", "name").first()


def _kin(hood, inspector):
    from citizenfocus.communities.models import RequiredGroup
    from citizenfocus.communities.services import kin_leave_request, kin_member_add

    groups = {name: RequiredGroup.objects.get_or_create(name=name, defaults={"description": d})[0]
              for name, d in GROUPS}
    members = [kin_member_add(neighbourhood=hood, name=name, contact=f"kin{i + 1:02d}@example.org",
                              groups=[groups[g] for g in chosen], user=inspector, joined_on=dt.date(2013, 4, 1))
               for i, (name, chosen) in enumerate(MEMBERS)]
    kin_leave_request(member=members[-1], on=dt.date(2014, 3, 20))
    return members


def _priorities(hood, members, inspector, rng: random.Random):
    from citizenfocus.communities.services import perception_record, priority_create, we_did_record

    for title, raised_by, raised_on, said, progress, done in PRIORITIES:
        priority = priority_create(neighbourhood=hood, title=title, raised_by=raised_by, raised_on=raised_on,
                                   you_said=said, user=inspector, scanning=said,
                                   analysis="Incident and call data mapped with the council's data for the area.")
        for month, seeing in zip(MONTHS, progress, strict=True):
            answering = members[:-1]  # the member asking to leave no longer answers
            scores = [rng.choice((4, 5)) for _ in range(seeing)] + \
                [rng.choice((1, 2, 3)) for _ in range(len(answering) - seeing)]
            rng.shuffle(scores)
            for member, score in zip(answering, scores, strict=True):
                perception_record(priority=priority, member=member, month=month, score=score, user=inspector)
        for text, on in done:
            we_did_record(priority=priority, text=text, done_on=on, user=inspector)


def _tension(hood, inspector, rng: random.Random):
    """Twelve weeks of returns for the team's division; the team's neighbourhood rises from 1 to 3 in the last."""
    from citizenfocus.communities.services import tension_submit

    others = hood.division.neighbourhoods.filter(archived=False).exclude(pk=hood.pk).order_by("name")
    hoods = [hood, *others[:3]]
    weeks = [dt.date(2014, 1, 6) + dt.timedelta(weeks=k) for k in range(12)]
    for k, week in enumerate(weeks):
        for other in hoods:
            level = 3 if (other == hood and k == len(weeks) - 1) else 1 + (rng.random() < 0.15)
            factors = "Graffiti and leaflets after a march through the town centre" if level == 3 else ""
            tension_submit(week=week, division=hood.division, neighbourhood=other, level=level,
                           reliability="usually" if level == 3 else "reliable", user=inspector, factors=factors,
                           actions="Extra patrols; meeting with faith leaders" if level == 3 else "")


def _assessments(hood, inspector, analyst):
    """An operation's community impact assessment signed off by the inspector, and an equality impact assessment
    whose annual review falls due 30 days after the demo is loaded (the one date that follows the clock, so the
    due list has something to show whenever the demo is made)."""
    from citizenfocus.communities import assessing
    from citizenfocus.communities.assessments import CHARACTERISTICS

    cia = assessing.cia_create(user=inspector, neighbourhood=hood, operation="Operation Lantern: drugs warrants",
                               planned_on=dt.date(2014, 3, 26), communities_affected="Residents of the estate; "
                               "the mosque and the community centre next to the addresses",
                               sensitivities="Tension after the march through the town centre (level 3 this week)",
                               engagement_before="Briefed the KIN chair and the mosque committee the day before")
    assessing.cia_sign_off(cia=cia, user=inspector, note="Proportionate; reassurance patrols for a week after",
                           engagement_after="Leaflet drop and a drop-in session at the community centre")
    policy = assessing.policy_register(user=analyst, title="Stop and search", kind="policy", owner="Operations",
                                       next_review_due=dt.date.today() + dt.timedelta(days=30))
    impacts = {key: ("neutral", "") for key, _ in CHARACTERISTICS}
    impacts["race"] = ("negative", "Black people stopped at a higher rate than white people in the force's data")
    impacts["age"] = ("unknown", "Age not yet recorded consistently")
    assessing.policy_screen(policy=policy, user=analyst, impacts=impacts)
    assessing.policy_action_add(policy=policy, user=analyst, description="Publish stop and search by ethnicity monthly",
                                manager_name="Head of operations")


PANEL_MEMBERS = (("Youth worker", "black"), ("Mosque committee member", "asian"), ("Shopkeeper", "white"),
                 ("Retired magistrate", "white"), ("Refugee support volunteer", "other"), ("Student union officer", ""),
                 ("Disability forum chair", "white"), ("Parish councillor", "mixed"))


def _panel(hood, inspector):
    """The division's independent advisory group: members, a meeting with advice and the force's response, and a
    finding put to the force as a recommendation."""
    from citizenfocus.communities import panel_services

    panel = panel_services.panel_create(user=inspector, name=f"{hood.division.name} independent advisory group",
                                        kind="iag", division=hood.division)
    members = [panel_services.panel_member_add(panel=panel, user=inspector, role=role, ethnic_group=group,
                                               joined_on=dt.date(2013, 6, 1)) for role, group in PANEL_MEMBERS]
    meeting = panel_services.panel_meeting_record(
        panel=panel, user=inspector, held_on=dt.date(2014, 3, 12), attended=members[:6],
        advice="Brief the mosque committee before any warrant near the mosque, and tell the panel afterwards.")
    panel_services.panel_response_record(meeting=meeting, user=inspector, responded_on=dt.date(2014, 3, 19),
                                         force_response="Agreed: added to the warrant planning checklist.")
    panel_services.panel_finding_recommend(panel=panel, user=inspector,
                                           text="Publish stop and search by ward and ethnicity every quarter.")


def demo_communities_load(*, analyst, inspector, supervisor) -> bool:
    """Load the engagement demo once (False when it is already there); the inspector and supervisor are the team."""
    from django.db import transaction

    from citizenfocus.communities.models import KinMember
    from citizenfocus.public.services import release_approve
    from citizenfocus.public.snapshot import release_snapshot, snapshot_hash

    hood = _neighbourhood()
    if hood is None:
        return False
    for user in (inspector, supervisor):  # every run: creating the demo users again clears their home area
        user.profile.neighbourhood, user.profile.division = hood, hood.division
        user.profile.save(update_fields=["neighbourhood", "division"])
    if KinMember.objects.filter(neighbourhood=hood).exists():
        return False
    rng = random.Random(2014)
    with transaction.atomic():
        members = _kin(hood, inspector)
        _priorities(hood, members, inspector, rng)
        _tension(hood, inspector, rng)
        _assessments(hood, inspector, analyst)
        _panel(hood, inspector)
        preview = release_snapshot(min_base=50)
        release_approve(user=analyst, title="Victim satisfaction and public confidence, 12 months to March 2014",
                        expected_sha256=snapshot_hash(preview), note="Demo release for the public site")
    return True
