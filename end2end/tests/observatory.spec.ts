// HTTP security headers of every public page, scored by the MDN HTTP
// Observatory (npm @mdn/mdn-http-observatory, its own tests and grader) over
// TLS: scripts/test.sh starts the portal as in production (HTTPS, an https
// identity provider) behind nginx with a self-signed certificate and plain
// HTTP redirecting to it. Desktop project only: the headers do not depend on
// the device.
import { execFileSync } from "node:child_process";
import { expect, test } from "@playwright/test";
import { PAGES } from "./helpers";

const PUBLIC_PAGES = PAGES.filter((path) => path !== "/pagina-che-non-esiste");

for (const path of PUBLIC_PAGES) {
  test(`observatory: ${path} scores A+ over HTTPS`, () => {
    const proxy = process.env.PORTALE_E2E_TLS;
    expect(proxy, "PORTALE_E2E_TLS (host:https-port:http-port) is set by scripts/test.sh").toBeTruthy();
    const [host, httpsPort, httpPort] = (proxy ?? "").split(":");
    const output = execFileSync("node", ["observatory.mjs", host, httpsPort, httpPort, path], {
      cwd: `${__dirname}/..`,
      encoding: "utf8",
      timeout: 20_000,
    });
    const result = JSON.parse(output);
    expect(result.failed, `failed observatory tests on ${path}`).toEqual([]);
    expect(result.status).toBe(200);
    expect(result.grade).toBe("A+");
  });
}
