package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/provisionhq/provision/internal/registry/api"
	"github.com/provisionhq/provision/internal/registry/auth"
	"github.com/provisionhq/provision/internal/registry/store"
)

const kafkajsDir = "testdata/kafkajs"

// TestKafkaJS registers, encodes and decodes through the registry with
// the npm package @kafkajs/confluent-schema-registry (4.1.0, pinned by
// package-lock.json; .ci/run installs it with npm ci). It skips without
// node or the package, and fails so under CI=true.
func TestKafkaJS(t *testing.T) {
	missing := func(why string) {
		t.Helper()
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s (CI=true: the kafkajs client must run)", why)
		}
		t.Skip(why)
	}
	node, err := exec.LookPath("node")
	if err != nil {
		missing("node is not installed")
	}
	if _, err := os.Stat(filepath.Join(kafkajsDir, "node_modules", "@kafkajs", "confluent-schema-registry", "package.json")); err != nil {
		missing("npm package @kafkajs/confluent-schema-registry is not installed: run npm ci in internal/registry/api/" + kafkajsDir)
	}
	url, st := newServer(t, "sqlite", api.Options{})
	key, err := auth.Create(context.Background(), st, "test", "ci", store.ScopeWrite, "")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(t.Context(), node, "run.mjs", url, key)
	cmd.Dir = kafkajsDir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("node run.mjs: %v\n%s", err, stderr.String())
	}
	var got struct {
		OrderID, WireID, Latest, ByVersion, ShipmentID int
		Magic                                          int
		Decoded                                        struct {
			ID     string
			Amount int
		}
		Shipment struct {
			OrderID string
			Amount  int
			Carrier string
		}
		Incompatible json.RawMessage
	}
	if err := json.Unmarshal(stdout.Bytes(), &got); err != nil {
		t.Fatalf("node run.mjs printed %q: %v", stdout.String(), err)
	}
	t.Logf("node run.mjs: %s", stdout.String())
	if got.OrderID < 1 || got.Magic != 0 || got.WireID != got.OrderID || got.Latest != got.OrderID || got.ByVersion != got.OrderID {
		t.Errorf("IDs: %s", stdout.String())
	}
	if got.Decoded.ID != "o-1" || got.Decoded.Amount != 42 {
		t.Errorf("decoded order: %+v", got.Decoded)
	}
	if got.ShipmentID == got.OrderID || got.Shipment.OrderID != "o-2" || got.Shipment.Amount != 7 || got.Shipment.Carrier != "post" {
		t.Errorf("shipment: %s", stdout.String())
	}
	if !strings.Contains(string(got.Incompatible), "409") && !strings.Contains(string(got.Incompatible), "incompatible") {
		t.Errorf("incompatible registration: %s", got.Incompatible)
	}
}
