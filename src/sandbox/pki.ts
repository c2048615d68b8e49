import { randomBytes } from "node:crypto";
import { execFile } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { SandboxError } from "./errors.ts";

const run = promisify(execFile);

/** Files the control plane needs for TLS and authentication, all under one directory. */
export interface Pki {
  caCert: string;
  servingCert: string;
  servingKey: string;
  /** RSA key that signs and verifies ServiceAccount tokens (apiserver and controller-manager). */
  serviceAccountKey: string;
  /** Static token file for the apiserver; holds one admin token (group system:masters). */
  tokenFile: string;
  adminToken: string;
}

/**
 * Creates a CA, a serving certificate for 127.0.0.1/localhost signed by it, a
 * ServiceAccount signing key and an admin token, with the system `openssl`.
 * The serving certificate also names the in-cluster Service DNS names, so it is valid
 * for whatever address the apiserver is reached by from this machine.
 */
export async function createPki(dir: string): Promise<Pki> {
  await mkdir(dir, { recursive: true });
  const p = (name: string): string => join(dir, name);
  const openssl = async (args: string[]): Promise<void> => {
    try {
      await run("openssl", args, { cwd: dir });
    } catch (error) {
      throw new SandboxError(`openssl ${args[0] ?? ""} failed (is openssl installed?)`, { cause: error });
    }
  };

  await openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "3650",
    "-subj", "/CN=mdo-sandbox-ca", "-keyout", p("ca.key"), "-out", p("ca.crt"),
    "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"]);
  await writeFile(p("serving.ext"), [
    "basicConstraints=CA:FALSE",
    "keyUsage=critical,digitalSignature,keyEncipherment",
    "extendedKeyUsage=serverAuth,clientAuth",
    "subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default," +
      "DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local",
    "",
  ].join("\n"));
  await openssl(["req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=kube-apiserver",
    "-keyout", p("serving.key"), "-out", p("serving.csr")]);
  await openssl(["x509", "-req", "-in", p("serving.csr"), "-CA", p("ca.crt"), "-CAkey", p("ca.key"),
    "-CAcreateserial", "-days", "3650", "-extfile", p("serving.ext"), "-out", p("serving.crt")]);
  await openssl(["genrsa", "-out", p("sa.key"), "2048"]);

  const adminToken = randomBytes(24).toString("hex");
  await writeFile(p("tokens.csv"), `${adminToken},admin,admin-uid,"system:masters"\n`, { mode: 0o600 });
  return {
    caCert: p("ca.crt"),
    servingCert: p("serving.crt"),
    servingKey: p("serving.key"),
    serviceAccountKey: p("sa.key"),
    tokenFile: p("tokens.csv"),
    adminToken,
  };
}
