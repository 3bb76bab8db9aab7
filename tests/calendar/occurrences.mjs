// Prints every occurrence of every event in every .ics file under a folder, as expanded by
// Mozilla's ical.js (the parser Thunderbird uses) from the file's own VTIMEZONEs:
//   FILE<TAB>UID<TAB>LOCAL START<TAB>UTC START<TAB>UTC END
// `occurrences.py` prints the same with Python's icalendar, which uses the IANA database
// instead: `check.sh` diffs the two, so a VTIMEZONE that is not the IANA zone shows up.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import ICAL from "ical.js";

const MAX_OCCURRENCES = 1000;
const root = process.argv[2];

function files(dir) {
  return readdirSync(dir).sort().flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return files(path);
    return name.endsWith(".ics") ? [path] : [];
  });
}

function utc(time) {
  if (time.isDate) return time.toString();
  return new Date(time.toUnixTime() * 1000).toISOString().replace(".000Z", "Z");
}

function local(time) {
  return time.isDate ? time.toString() : time.toString().slice(0, 19);
}

const lines = [];
for (const file of files(root)) {
  const calendar = new ICAL.Component(ICAL.parse(readFileSync(file, "utf8")));
  for (const zone of calendar.getAllSubcomponents("vtimezone")) {
    ICAL.TimezoneService.register(new ICAL.Timezone(zone));
  }
  for (const vevent of calendar.getAllSubcomponents("vevent")) {
    const event = new ICAL.Event(vevent);
    const name = relative(root, file);
    const emit = (start, end) =>
      lines.push([name, event.uid, local(start), utc(start), utc(end)].join("\t"));
    if (!event.isRecurring()) {
      emit(event.startDate, event.endDate);
      continue;
    }
    const iterator = event.iterator();
    for (let n = 0, next; n < MAX_OCCURRENCES && (next = iterator.next()); n++) {
      const details = event.getOccurrenceDetails(next);
      emit(details.startDate, details.endDate);
    }
  }
  ICAL.TimezoneService.reset();
}
lines.sort();
process.stdout.write(lines.map((l) => l + "\n").join(""));
