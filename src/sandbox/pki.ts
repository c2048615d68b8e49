import { randomBytes } from "node:crypto";
import { execFile } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { KUBERNETES_SERVICE_IP, REAL_NODE_IP } from "./addresses.ts";
import { SandboxError } from "./errors.ts";
import { REAL_NODE_USER } from "./real-node/identity.ts";

const run = promisify(execFile);

/** Files the control plane needs for TLS and authentication, all under one directory. */
export interface Pki {
  /** The directory holding every file below (and where `signCertificate` issues more). */
  dir: string;
  caCert: string;
  /** The CA's key; signs the real node's kubelet serving certificate. */
  caKey: string;
  servingCert: string;
  servingKey: string;
  /** Client certificate the apiserver presents to kubelets (CN kube-apiserver-kubelet-client). */
  kubeletClientCert: string;
  kubeletClientKey: string;
  /** RSA key that signs and verifies ServiceAccount tokens (apiserver and controller-manager). */
  serviceAccountKey: string;
  /** Static token file for the apiserver: the admin, the real node's kubelet and kube-proxy. */
  tokenFile: string;
  /** Group system:masters. */
  adminToken: string;
  /** REAL_NODE_USER, group system:nodes (the Node authorizer's subject). */
  nodeToken: string;
  /** User system:kube-proxy (bound to system:node-proxier by RBAC's defaults). */
  proxyToken: string;
}

export interface CertificateRequest {
  /** File name stem: <name>.crt and <name>.key in the PKI directory. */
  name: string;
  subject: string;
  usage: "serverAuth" | "clientAuth" | "serverAuth,clientAuth";
  /** subjectAltName entries, e.g. IP:127.0.0.1, DNS:localhost. */
  sans?: string[];
  /** RSA 2048 (the default: every client speaks it) or P-256 (faster to generate). */
  keyType?: "rsa" | "ec";
}

/**
 * Creates a CA, a serving certificate for the apiserver signed by it, the apiserver's kubelet
 * client certificate, a ServiceAccount signing key and the static tokens, with the system
 * `openssl`. The serving certificate names 127.0.0.1, the real node's bridge address, the
 * `kubernetes` Service IP and its DNS names, so it is valid however a client reaches it.
 */
export async function createPki(dir: string): Promise<Pki> {
  await mkdir(dir, { recursive: true });
  const p = (name: string): string => join(dir, name);
  await openssl(dir, ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "3650",
    "-subj", "/CN=mdo-sandbox-ca", "-keyout", p("ca.key"), "-out", p("ca.crt"),
    "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"]);
  const serving = await signCertificate(dir, {
    name: "serving", subject: "/CN=kube-apiserver", usage: "serverAuth,clientAuth",
    sans: [`IP:127.0.0.1`, `IP:${REAL_NODE_IP}`, `IP:${KUBERNETES_SERVICE_IP}`, "DNS:localhost", "DNS:kubernetes",
      "DNS:kubernetes.default", "DNS:kubernetes.default.svc", "DNS:kubernetes.default.svc.cluster.local"],
  });
  const kubeletClient = await signCertificate(dir, {
    name: "apiserver-kubelet-client", subject: "/CN=kube-apiserver-kubelet-client", usage: "clientAuth", keyType: "ec",
  });
  await openssl(dir, ["genrsa", "-out", p("sa.key"), "2048"]);

  const token = (): string => randomBytes(24).toString("hex");
  const [adminToken, nodeToken, proxyToken] = [token(), token(), token()];
  await writeFile(p("tokens.csv"), [
    `${adminToken},admin,admin-uid,"system:masters"`,
    `${nodeToken},${REAL_NODE_USER},node-uid,"system:nodes"`,
    `${proxyToken},system:kube-proxy,kube-proxy-uid`,
    "",
  ].join("\n"), { mode: 0o600 });
  return {
    dir,
    caCert: p("ca.crt"),
    caKey: p("ca.key"),
    servingCert: serving.cert,
    servingKey: serving.key,
    kubeletClientCert: kubeletClient.cert,
    kubeletClientKey: kubeletClient.key,
    serviceAccountKey: p("sa.key"),
    tokenFile: p("tokens.csv"),
    adminToken,
    nodeToken,
    proxyToken,
  };
}

/**
 * Issues a certificate signed by the CA in `dir` (ca.crt, ca.key) for a fresh key.
 * Returns the paths of the certificate and its key.
 */
export async function signCertificate(dir: string, request: CertificateRequest): Promise<{ cert: string; key: string }> {
  const p = (suffix: string): string => join(dir, `${request.name}.${suffix}`);
  await writeFile(p("ext"), [
    "basicConstraints=CA:FALSE",
    "keyUsage=critical,digitalSignature,keyEncipherment",
    `extendedKeyUsage=${request.usage}`,
    ...(request.sans === undefined ? [] : [`subjectAltName=${request.sans.join(",")}`]),
    "",
  ].join("\n"));
  const key = request.keyType === "ec" ? ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"] : ["-newkey", "rsa:2048"];
  await openssl(dir, ["req", ...key, "-nodes",
    "-subj", request.subject, "-keyout", p("key"), "-out", p("csr")]);
  await openssl(dir, ["x509", "-req", "-in", p("csr"), "-CA", join(dir, "ca.crt"), "-CAkey", join(dir, "ca.key"),
    "-CAcreateserial", "-days", "3650", "-extfile", p("ext"), "-out", p("crt")]);
  return { cert: p("crt"), key: p("key") };
}

async function openssl(dir: string, args: string[]): Promise<void> {
  try {
    await run("openssl", args, { cwd: dir });
  } catch (error) {
    throw new SandboxError(`openssl ${args[0] ?? ""} failed (is openssl installed?)`, { cause: error });
  }
}
