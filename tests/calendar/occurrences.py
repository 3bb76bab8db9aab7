"""Prints every occurrence of every event in every .ics file under a folder, as expanded by
Python's icalendar with recurring-ical-events (known TZIDs resolved with the IANA database):
    FILE<TAB>UID<TAB>LOCAL START<TAB>UTC START<TAB>UTC END
See occurrences.mjs, its counterpart with ical.js."""

import datetime
import pathlib
import sys

import icalendar
import recurring_ical_events


def utc(value):
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return value.isoformat()


def local(value):
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%S")
    return value.isoformat()


def main(root):
    root = pathlib.Path(root)
    lines = []
    for path in sorted(root.rglob("*.ics")):
        calendar = icalendar.Calendar.from_ical(path.read_bytes())
        for event in recurring_ical_events.of(calendar).between((1900, 1, 1), (2200, 1, 1)):
            start, end = event["DTSTART"].dt, event["DTEND"].dt
            name = str(path.relative_to(root))
            lines.append("\t".join([name, str(event["UID"]), local(start), utc(start), utc(end)]))
    lines.sort()
    sys.stdout.write("".join(line + "\n" for line in lines))


if __name__ == "__main__":
    main(sys.argv[1])
