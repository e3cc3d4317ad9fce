package main

import (
	"bytes"
	"context"
	"database/sql"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/provisionhq/provision/internal/protosrc"
	"github.com/provisionhq/provision/internal/registry/api"
)

// TestRegistryCommands creates keys, serves on a free port, pushes the
// catalog with and without the right key, shuts the server down with its
// context, and verifies the audit log.
func TestRegistryCommands(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	storeSpec := "sqlite:" + filepath.Join(dir, "r.db")
	token := func(name, scope string) string {
		var out, errb bytes.Buffer
		if code := run(ctx, []string{"registry", "token", "create", "-store", storeSpec, "-name", name, "-scope", scope}, &out, &errb); code != exitOK {
			t.Fatalf("token create: %d %s", code, errb.String())
		}
		return strings.TrimSpace(out.String())
	}
	writer, reader := token("ci", "write"), token("viewer", "read")
	token("gone", "admin")
	var lout, lerr bytes.Buffer
	if code := run(ctx, []string{"registry", "token", "delete", "-store", storeSpec, "-name", "gone"}, &lout, &lerr); code != exitOK {
		t.Fatalf("token delete: %d %s", code, lerr.String())
	}
	lout.Reset()
	if code := run(ctx, []string{"registry", "token", "list", "-store", storeSpec}, &lout, &lerr); code != exitOK ||
		!strings.Contains(lout.String(), "ci\twrite") || !strings.Contains(lout.String(), "viewer\tread") ||
		strings.Contains(lout.String(), "gone") || strings.Contains(lout.String(), writer) {
		t.Fatalf("token list: %d %q %s", code, lout.String(), lerr.String())
	}

	sctx, stop := context.WithCancel(ctx)
	ready := make(chan string, 1)
	done := make(chan error, 1)
	var logs bytes.Buffer
	o := serveOptions{listen: "127.0.0.1:0", store: storeSpec, maxBody: api.DefaultMaxBodyBytes, requestTimeout: 30 * time.Second,
		shutdownTimeout: 5 * time.Second, readHeaderTimeout: time.Second, readTimeout: time.Minute, write: time.Minute,
		i18n: filepath.Join(repoRootDir(t), "i18n")}
	go func() { done <- serve(sctx, o, slog.New(slog.NewTextHandler(&logs, nil)), ready) }()
	addr := <-ready
	base := "http://" + addr

	set, err := protosrc.CompileCatalog(ctx, repoRootDir(t))
	if err != nil {
		t.Fatal(err)
	}
	image, err := proto.Marshal(set.Set)
	if err != nil {
		t.Fatal(err)
	}
	imageFile := filepath.Join(dir, "image.binpb")
	if err := os.WriteFile(imageFile, image, 0o644); err != nil {
		t.Fatal(err)
	}
	pushWith := func(tok string) (int, string, string) {
		var out, errb bytes.Buffer
		code := run(ctx, []string{"registry", "push", "-registry", base, "-token", tok, "-catalog", "kaspersky", "-image", imageFile}, &out, &errb)
		return code, out.String(), errb.String()
	}
	if code, _, errs := pushWith(""); code != exitFailed || !strings.Contains(errs, "40101") {
		t.Fatalf("push without a key: %d %s", code, errs)
	}
	if code, _, errs := pushWith(reader); code != exitFailed || !strings.Contains(errs, "40301") {
		t.Fatalf("push with a read key: %d %s", code, errs)
	}
	if code, out, errs := pushWith(writer); code != exitOK || !strings.Contains(out, "version 1 (new") {
		t.Fatalf("push: %d %s %s", code, out, errs)
	}
	// -i18n gives the versions' pages their German.
	req, err := http.NewRequest("GET", base+"/provision/v1/catalogs/kaspersky/versions/1/docs/site/de/index.html", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+reader)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 200 {
		t.Fatalf("German index page: %v %v", resp, err)
	} else {
		resp.Body.Close()
	}
	for _, path := range []string{"/healthz", "/readyz"} {
		resp, err := http.Get(base + path)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("GET %s: %v %v", path, resp, err)
		}
		resp.Body.Close()
	}
	stop()
	if err := <-done; err != nil {
		t.Fatalf("serve: %v", err)
	}
	if strings.Contains(logs.String(), writer) || strings.Contains(logs.String(), reader) {
		t.Fatal("a key is in the logs")
	}
	var out, errb bytes.Buffer
	if code := run(ctx, []string{"registry", "audit", "verify", "-store", storeSpec}, &out, &errb); code != exitOK {
		t.Fatalf("audit verify: %d %s", code, errb.String())
	}
	// An edited record is named.
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "r.db"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("UPDATE audit_log SET actor = 'someone else' WHERE seq = 3"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	out.Reset()
	errb.Reset()
	if code := run(ctx, []string{"registry", "audit", "verify", "-store", storeSpec}, &out, &errb); code != exitFailed || !strings.Contains(errb.String(), "record 3 does not match") {
		t.Fatalf("audit verify of an edited log: %d %s", code, errb.String())
	}
}

func repoRootDir(t *testing.T) string {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Join(wd, "..", "..")
}

// TestServeKeys: serve refuses a -keys file it cannot use before it
// listens, naming the key ID and never the key.
func TestServeKeys(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	const short = "c2hvcnQta2V5" // "short-key"
	file := filepath.Join(dir, "keys.json")
	if err := os.WriteFile(file, []byte(`{"installation": "`+short+`"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ name, keys, want string }{
		{name: "short key", keys: file, want: "-keys " + file + `: key file: key "installation" has 9 bytes`},
		{name: "no file", keys: filepath.Join(dir, "absent.json"), want: "-keys " + filepath.Join(dir, "absent.json") + ": key file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			o := serveOptions{listen: "127.0.0.1:0", store: "sqlite:" + filepath.Join(t.TempDir(), "r.db"), keys: tc.keys}
			var logs bytes.Buffer
			err := serve(context.Background(), o, slog.New(slog.NewTextHandler(&logs, nil)), nil)
			if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), short) {
				t.Fatalf("serve = %v; want an error with %q and without the key", err, tc.want)
			}
		})
	}
}
