/**
 * The test cluster's address plan. Everything lies in 198.18.0.0/15 (RFC 2544 benchmarking
 * space): never routed on the Internet, and apart from the private ranges (10/8, 172.16/12,
 * 192.168/16) that these machines must never send to. On a host with the real node, the whole
 * /15 is routed into the node's bridge (or unreachable), never to the default route.
 */

/** Pods of every node: the real node's bridge range plus kwok's fake range. kube-proxy's --cluster-cidr. */
export const POD_NETWORK_CIDR = "198.18.0.0/16";
/** The real node's pods (host-local IPAM on the bridge). */
export const REAL_NODE_POD_CIDR = "198.18.0.0/24";
/** kwok's fake pod IPs: inside the pod network, outside the bridge's range; nothing answers there. */
export const KWOK_POD_CIDR = "198.18.128.0/17";
/** ClusterIPs. The first address is the `kubernetes` Service. */
export const SERVICE_CIDR = "198.19.0.0/16";
export const KUBERNETES_SERVICE_IP = "198.19.0.1";
/** Both ranges at once: the host's fallback route for them is `unreachable`. */
export const CLUSTER_SUPERNET = "198.18.0.0/15";
/** The bridge's address: gateway of the pods, the real node's InternalIP, the apiserver's advertised address. */
export const REAL_NODE_IP = "198.18.0.1";
/** Name of the host bridge the real node's pods attach to. One real node per machine. */
export const BRIDGE = "rn0";
