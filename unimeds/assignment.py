"""Automatic distribution of work among a Unimed's people (leads, protocols).

Each app keeps a per-Unimed settings row with `assignment_rule` and a round-robin
cursor `last_assigned`; the caller locks that row (select_for_update), which
serialises picks inside one Unimed, so two items arriving together never both go to
the same "next" person.
"""

from collections.abc import Callable, Iterable

ROUND_ROBIN = "round_robin"
FEWEST_OPEN = "fewest_open"


def settings_locked(model, unimed):
    """The Unimed's settings row of `model` (created with its defaults), locked until
    the transaction ends."""
    model.objects.get_or_create(unimed=unimed)
    return model.objects.select_for_update().get(unimed=unimed)


def assignee_pick(
    conf, candidates: Iterable, open_counts: Callable[[list], dict[int, int]]
) -> object | None:
    """The candidate the locked settings row's rule chooses (None: nobody to choose), with
    the cursor moved to it. `open_counts(candidates)` → {user id: open items} is asked only
    for the fewest-open rule."""
    people = sorted(candidates, key=lambda person: person.pk)
    if not people:
        return None
    if conf.assignment_rule == FEWEST_OPEN:
        counts = open_counts(people)
        chosen = min(people, key=lambda person: (counts.get(person.pk, 0), person.pk))
    else:
        after = conf.last_assigned_id or 0
        chosen = next((person for person in people if person.pk > after), people[0])
    conf.last_assigned = chosen
    conf.save(update_fields=["last_assigned", "updated_at"])
    return chosen
