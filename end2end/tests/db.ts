// Arranging data in the test database, as the Rust integration tests do:
// the portal runs on the SQLite file in PORTALE_E2E_DATABASE (set by
// scripts/test.sh); Python's standard sqlite3 module writes to it (WAL mode,
// so the running portal keeps serving).
import { execFileSync } from "node:child_process";

const RUNNER = `
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1], timeout=30)
rows = db.execute(sys.argv[2], json.loads(sys.argv[3])).fetchall()
db.commit()
print(json.dumps(rows))
`;

/** Runs one SQL statement; returns its rows. */
export function sql(statement: string, params: (string | number)[] = []): unknown[][] {
  const file = process.env.PORTALE_E2E_DATABASE;
  if (!file) throw new Error("PORTALE_E2E_DATABASE is not set: run the suite through scripts/test.sh");
  const output = execFileSync("python3", ["-c", RUNNER, file, statement, JSON.stringify(params)], { encoding: "utf8" });
  return JSON.parse(output) as unknown[][];
}

/** `YYYY-MM-DDTHH:00:00+01:00` for a Rome wall-clock hour `days` from today. */
export function romeTime(days: number, hour: number): string {
  const day = new Date(Date.now() + days * 86_400_000);
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone: "Europe/Rome",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    timeZoneName: "shortOffset",
  }).formatToParts(day);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  const offset = Number(part("timeZoneName").replace("GMT", "") || "1");
  return `${part("year")}-${part("month")}-${part("day")}T${String(hour).padStart(2, "0")}:00:00+0${offset}:00`;
}
