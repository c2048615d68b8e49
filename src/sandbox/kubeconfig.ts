/** A kubeconfig for one cluster and one bearer-token user, as YAML (JSON is valid YAML). */
export function renderKubeconfig(server: string, caFile: string, token: string, name = "mdo-sandbox"): string {
  const config = {
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name, cluster: { server, "certificate-authority": caFile } }],
    users: [{ name: `${name}-admin`, user: { token } }],
    contexts: [{ name, context: { cluster: name, user: `${name}-admin` } }],
    "current-context": name,
  };
  return JSON.stringify(config, null, 2) + "\n";
}
