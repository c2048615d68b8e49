// Tools module for the Gateway API CRDs installed into the test cluster (no Go code is built:
// scripts/gateway-api-crds downloads the module and prints its config/crd/standard directory).
// Do not run `go mod tidy` here: nothing imports the module, so tidy would drop the pin.
module mdo.dev/tools/gateway-api

go 1.26.0

require sigs.k8s.io/gateway-api v1.6.3
