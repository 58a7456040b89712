// Scores one page of the portal with the MDN HTTP Observatory's own tests
// and grader (npm @mdn/mdn-http-observatory), as its CLI does, but for any
// path and port: the CLI scans only "/" on ports 80/443. Used by
// tests/observatory.spec.ts against the TLS proxy that scripts/test.sh
// starts (nginx, self-signed certificate trusted through NODE_EXTRA_CA_CERTS).
//   node observatory.mjs HOST HTTPS_PORT HTTP_PORT PATH  -> JSON on stdout
import { existsSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(import.meta.url);
const root = path.dirname(require.resolve("@mdn/mdn-http-observatory/package.json"));
// The package's post-install step downloads the HSTS preload list, which
// cannot be fetched here (and is not run: npm install --ignore-scripts).
// An empty list only means "not preloaded", which no test of ours needs.
const preload = path.join(root, "conf", "hsts-preload.json");
if (!existsSync(preload)) writeFileSync(preload, "{}");

const [host, httpsPort, httpPort, page] = process.argv.slice(2);
const { retrieve } = await import(path.join(root, "src/retriever/retriever.js"));
const { ALL_TESTS, NUM_TESTS } = await import(path.join(root, "src/constants.js"));
const { MINIMUM_SCORE_FOR_EXTRA_CREDIT } = await import(path.join(root, "src/grader/charts.js"));
const { getGradeForScore, getScoreModifier } = await import(path.join(root, "src/grader/grader.js"));

const retrieved = await retrieve(host, { httpsPort, httpPort, path: page });
if (!retrieved.responses.auto) {
  console.log(JSON.stringify({ error: "the site did not answer" }));
  process.exit(1);
}
// The same arithmetic as the package's scanner (src/scanner/index.js).
let withExtraCredit = 100;
let uncurved = 100;
const failed = [];
for (const test of ALL_TESTS) {
  const output = test(retrieved);
  if (!output.result) continue;
  const modifier = getScoreModifier(output.result);
  withExtraCredit += modifier;
  if (modifier < 0) uncurved += modifier;
  if (!output.pass) failed.push(`${output.constructor.name}: ${output.result}`);
}
const score = uncurved >= MINIMUM_SCORE_FOR_EXTRA_CREDIT ? withExtraCredit : uncurved;
const { grade } = getGradeForScore(score);
console.log(
  JSON.stringify({
    page,
    status: retrieved.responses.auto.status,
    grade,
    score,
    tests: NUM_TESTS,
    failed,
  }),
);
