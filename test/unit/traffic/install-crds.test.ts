// installGatewayApiCrds (test support) with a fake kubectl: it waits for every CRD, including
// when one is left and kubectl answers with the object itself instead of a List.
import { strict as assert } from "node:assert";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { installGatewayApiCrds } from "../../support/gateway-api.ts";

const crd = (name: string): string => `apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: ${name}\n`;

test("applies the directory and polls until each CRD is Established", async () => {
  const dir = await mkdtemp(join(tmpdir(), "mdo-gwcrds-"));
  try {
    await writeFile(join(dir, "a.yaml"), crd("as.example.io"));
    await writeFile(join(dir, "b.yaml"), `${crd("bs.example.io")}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: not-a-crd\n`);
    const calls: string[][] = [];
    let polls = 0;
    const established = (name: string, yes: boolean) => ({ metadata: { name }, status: { conditions: [{ type: "Established", status: yes ? "True" : "False" }] } });
    const names = await installGatewayApiCrds((args) => {
      calls.push(args);
      if (args[0] === "apply") return Promise.resolve({ code: 0, stdout: "", stderr: "" });
      polls++;
      const asked = args.slice(2, -2);
      // "as" is Established at once, "bs" on the third poll; one name answers with the object.
      const objects = asked.map((name) => established(name, name === "as.example.io" || polls >= 3));
      const body = objects.length === 1 ? objects[0] : { kind: "List", items: objects };
      return Promise.resolve({ code: 0, stdout: JSON.stringify(body), stderr: "" });
    }, dir, 10_000);
    assert.deepEqual(names, ["as.example.io", "bs.example.io"]);
    assert.deepEqual(calls[0], ["apply", "--server-side", "--force-conflicts", "--field-manager=mdo-test", "-f", dir]);
    assert.deepEqual(calls.at(-1), ["get", "crd", "bs.example.io", "-o", "json"], "only the pending CRD is asked for again");
    assert.equal(polls, 3);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
