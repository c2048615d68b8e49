// kstatus computes the health of Kubernetes objects the way Flux's kustomize-controller and
// helm-controller do (`wait: true`, `healthChecks`, `healthCheckExprs`). Test tooling for
// docs/gitops.md.
//
// Usage: kstatus [EXPRS] < objects.json
// Input: one JSON value on stdin: an array of objects, a List (`items`), or one object. EXPRS,
// if given, is a Kustomization's healthCheckExprs entry as JSON: {"current": "...", "failed":
// "...", "inProgress": "..."} (CEL).
// Output: one JSON line per object, in input order:
//
//	{"status": S, "message": M, "flux": {"status": S, "message": M}, "exprs": {"status": S}}
//
// where the top level is status.Compute of sigs.k8s.io/cli-utils (kstatus), "flux" is
// status.Compute of github.com/fluxcd/cli-utils (Flux's fork of kstatus, which Flux runs) and
// "exprs" is Flux's own CEL status evaluator on EXPRS (absent without EXPRS). S is Current,
// InProgress, Failed, Terminating, NotFound or Unknown. Where one cannot compute a result (a
// malformed status, a CEL error), that result is {"error": "..."} instead.
// Exit status 1 only when the arguments or stdin cannot be read.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"

	fluxstatus "github.com/fluxcd/cli-utils/pkg/kstatus/status"
	"github.com/fluxcd/pkg/apis/kustomize"
	fluxcel "github.com/fluxcd/pkg/runtime/cel"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	utiljson "k8s.io/apimachinery/pkg/util/json"
	"sigs.k8s.io/cli-utils/pkg/kstatus/status"
)

type result struct {
	Status  string  `json:"status,omitempty"`
	Message string  `json:"message,omitempty"`
	Error   string  `json:"error,omitempty"`
	Flux    *result `json:"flux,omitempty"`
	Exprs   *result `json:"exprs,omitempty"`
}

func main() {
	if err := run(os.Args[1:], os.Stdin, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "kstatus:", err)
		os.Exit(1)
	}
}

func run(args []string, stdin io.Reader, stdout io.Writer) error {
	var evaluator *fluxcel.StatusEvaluator
	if len(args) > 0 {
		var exprs kustomize.HealthCheckExpressions
		if err := json.Unmarshal([]byte(args[0]), &exprs); err != nil {
			return fmt.Errorf("reading healthCheckExprs %q: %w", args[0], err)
		}
		var err error
		if evaluator, err = fluxcel.NewStatusEvaluator(&exprs); err != nil {
			return err
		}
	}
	objects, err := read(stdin)
	if err != nil {
		return err
	}
	out := bufio.NewWriter(stdout)
	encoder := json.NewEncoder(out)
	for _, object := range objects {
		if err := encoder.Encode(compute(object, evaluator)); err != nil {
			return err
		}
	}
	return out.Flush()
}

func compute(object map[string]interface{}, evaluator *fluxcel.StatusEvaluator) result {
	var r result
	if res, err := status.Compute(&unstructured.Unstructured{Object: object}); err != nil {
		r.Error = err.Error()
	} else {
		r.Status, r.Message = res.Status.String(), res.Message
	}
	if res, err := fluxstatus.Compute(&unstructured.Unstructured{Object: object}); err != nil {
		r.Flux = &result{Error: err.Error()}
	} else {
		r.Flux = &result{Status: res.Status.String(), Message: res.Message}
	}
	if evaluator != nil {
		if res, err := evaluator.Evaluate(context.Background(), &unstructured.Unstructured{Object: object}); err != nil {
			r.Exprs = &result{Error: err.Error()}
		} else {
			r.Exprs = &result{Status: res.Status.String(), Message: res.Message}
		}
	}
	return r
}

// read decodes stdin into the objects to assess: an array, a List's items, or a single object.
// Integers become int64, as kstatus expects of generation and observedGeneration.
func read(r io.Reader) ([]map[string]interface{}, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("reading stdin: %w", err)
	}
	var value interface{}
	if err := utiljson.Unmarshal(data, &value); err != nil {
		return nil, fmt.Errorf("decoding JSON from stdin: %w", err)
	}
	var items []interface{}
	switch v := value.(type) {
	case []interface{}:
		items = v
	case map[string]interface{}:
		if list, ok := v["items"].([]interface{}); ok {
			items = list
		} else {
			items = []interface{}{v}
		}
	default:
		return nil, fmt.Errorf("stdin holds a JSON %T, not an object, a List or an array", value)
	}
	objects := make([]map[string]interface{}, 0, len(items))
	for i, item := range items {
		object, ok := item.(map[string]interface{})
		if !ok {
			return nil, fmt.Errorf("item %d is a JSON %T, not an object", i, item)
		}
		objects = append(objects, object)
	}
	return objects, nil
}
