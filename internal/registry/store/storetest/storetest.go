// Package storetest is the contract every store.Store implementation
// passes, for tests only: Run takes a constructor of empty stores and
// checks registration, content addressing, versions, deletes, references,
// configuration and mode, catalogs, API keys, the audit chain, the check
// function's atomicity and concurrent registration.
package storetest

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/provisionhq/provision/internal/registry/store"
)

// Instance is a store under test and a way around it.
type Instance struct {
	Store store.Store
	// Exec runs one SQL statement (without parameters) on the store's
	// database directly, as someone tampering with it would.
	Exec func(t *testing.T, sql string)
}

// Harness says how to make stores for Run.
type Harness struct {
	// New returns an empty store; it is closed when t ends.
	New func(t *testing.T) Instance
}

// Run runs the contract on h's stores.
func Run(t *testing.T, h Harness) {
	tests := []struct {
		name string
		fn   func(*testing.T, Instance)
	}{
		{"Register", testRegister},
		{"IdempotentRegister", testIdempotent},
		{"SameSchemaSameID", testSameSchemaSameID},
		{"VersionsContiguous", testVersionsContiguous},
		{"CheckSeesPrevious", testCheckSeesPrevious},
		{"CheckAborts", testCheckAborts},
		{"Deletes", testDeletes},
		{"DeleteSubject", testDeleteSubject},
		{"References", testReferences},
		{"Import", testImport},
		{"InvalidInput", testInvalidInput},
		{"ConfigAndMode", testConfigAndMode},
		{"Catalogs", testCatalogs},
		{"APIKeys", testAPIKeys},
		{"Audit", testAudit},
		{"AuditTamper", testAuditTamper},
		{"Changes", testChanges},
		{"Concurrent", testConcurrent},
		{"FieldIndex", testFieldIndex},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.fn(t, h.New(t))
		})
	}
}

// Schema returns a protobuf schema whose text is a message named name.
func Schema(name string, refs ...store.Reference) store.Schema {
	return store.Schema{Type: store.Protobuf, Text: fmt.Sprintf("syntax = \"proto3\";\npackage test.v1;\nmessage %s {\n  string id = 1;\n}\n", name), References: refs}
}

func register(t *testing.T, s store.Store, subject string, sc store.Schema) store.Version {
	t.Helper()
	v, _, err := s.RegisterVersion(context.Background(), store.Registration{Subject: subject, Schema: sc})
	if err != nil {
		t.Fatalf("register %q under %q: %v", sc.Text, subject, err)
	}
	return v
}

func wantErr(t *testing.T, what string, err, sentinel error) {
	t.Helper()
	if !errors.Is(err, sentinel) {
		t.Errorf("%s: error %v, want %v", what, err, sentinel)
	}
}

func testRegister(t *testing.T, in Instance) {
	ctx, s := context.Background(), in.Store
	sc := Schema("A")
	v, created, err := s.RegisterVersion(ctx, store.Registration{Subject: "a-value", Schema: sc})
	if err != nil || !created {
		t.Fatalf("RegisterVersion = %v, created %v", err, created)
	}
	if v.Version != 1 || v.Schema.ID < 1 || v.Subject != "a-value" || v.Deleted || v.Created.IsZero() {
		t.Errorf("RegisterVersion = %+v", v)
	}
	got, err := s.SchemaByID(ctx, v.Schema.ID)
	if err != nil {
		t.Fatal(err)
	}
	sc.ID = v.Schema.ID
	if diff := cmp.Diff(sc, got); diff != "" {
		t.Errorf("SchemaByID (-want +got):\n%s", diff)
	}
	// Twice, the second time from any cache.
	if got, err := s.SchemaByID(ctx, v.Schema.ID); err != nil || got.Text != sc.Text {
		t.Errorf("SchemaByID again = %v, %v", got, err)
	}
	for _, read := range []func() (store.Version, error){
		func() (store.Version, error) { return s.Version(ctx, "a-value", 1, false) },
		func() (store.Version, error) { return s.LatestVersion(ctx, "a-value", false) },
		func() (store.Version, error) { return s.LookupSchema(ctx, "a-value", Schema("A"), false) },
	} {
		got, err := read()
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(v, got); diff != "" {
			t.Errorf("read back (-registered +read):\n%s", diff)
		}
	}
	subjects, err := s.Subjects(ctx, false)
	if err != nil || !slices.Equal(subjects, []string{"a-value"}) {
		t.Errorf("Subjects = %v, %v", subjects, err)
	}
	_, err = s.SchemaByID(ctx, v.Schema.ID+1000)
	wantErr(t, "SchemaByID of an unknown ID", err, store.ErrSchemaNotFound)
	_, err = s.Version(ctx, "a-value", 2, false)
	wantErr(t, "Version 2", err, store.ErrVersionNotFound)
	_, err = s.Version(ctx, "nobody", 1, false)
	wantErr(t, "Version of an unknown subject", err, store.ErrSubjectNotFound)
	_, err = s.LatestVersion(ctx, "nobody", true)
	wantErr(t, "LatestVersion of an unknown subject", err, store.ErrSubjectNotFound)
	_, err = s.Versions(ctx, "nobody", true)
	wantErr(t, "Versions of an unknown subject", err, store.ErrSubjectNotFound)
	_, err = s.LookupSchema(ctx, "a-value", Schema("B"), true)
	wantErr(t, "LookupSchema of an unregistered schema", err, store.ErrSchemaNotFound)
	_, err = s.LookupSchema(ctx, "nobody", Schema("A"), true)
	wantErr(t, "LookupSchema in an unknown subject", err, store.ErrSubjectNotFound)
}

func testIdempotent(t *testing.T, in Instance) {
	ctx, s := context.Background(), in.Store
	first := register(t, s, "s", Schema("A"))
	called := false
	again, created, err := s.RegisterVersion(ctx, store.Registration{Subject: "s", Schema: Schema("A"),
		Check: func([]store.Version) error { called = true; return errors.New("must not be called") }})
	if err != nil || created || called {
		t.Fatalf("re-register: err %v, created %v, check called %v", err, created, called)
	}
	if diff := cmp.Diff(first, again); diff != "" {
		t.Errorf("re-register returned another version (-first +again):\n%s", diff)
	}
	vs, err := s.Versions(ctx, "s", true)
	if err != nil || len(vs) != 1 {
		t.Errorf("Versions after re-register = %d, %v; want 1", len(vs), err)
	}
}

func testSameSchemaSameID(t *testing.T, in Instance) {
	ctx, s := context.Background(), in.Store
	a := register(t, s, "one", Schema("A"))
	register(t, s, "two", Schema("B"))
	b := register(t, s, "two", Schema("A"))
	if a.Schema.ID != b.Schema.ID {
		t.Errorf("same schema in two subjects: IDs %d and %d", a.Schema.ID, b.Schema.ID)
	}
	if b.Version != 2 {
		t.Errorf("second version of two = %d", b.Version)
	}
	other := Schema("A")
	other.Type = store.JSON
	c := register(t, s, "three", other)
	if c.Schema.ID == a.Schema.ID {
		t.Error("same text of another type got the same ID")
	}
	got, err := s.SubjectVersionsByID(ctx, a.Schema.ID, false)
	want := []store.SubjectVersion{{Subject: "one", Version: 1}, {Subject: "two", Version: 2}}
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("SubjectVersionsByID (-want +got):\n%s", diff)
	}
	_, err = s.SubjectVersionsByID(ctx, 99999, true)
	wantErr(t, "SubjectVersionsByID of an unknown ID", err, store.ErrSchemaNotFound)
}

func testVersionsContiguous(t *testing.T, in Instance) {
	ctx, s := context.Background(), in.Store
	for i := range 5 {
		v := register(t, s, "s", Schema(fmt.Sprintf("M%d", i)))
		if v.Version != i+1 {
			t.Errorf("registration %d got version %d", i, v.Version)
		}
	}
	vs, err := s.Versions(ctx, "s", false)
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range vs {
		if v.Version != i+1 || v.Schema.Text != Schema(fmt.Sprintf("M%d", i)).Text {
			t.Errorf("Versions[%d] = %d %q", i, v.Version, v.Schema.Text)
		}
	}
	latest, err := s.LatestVersion(ctx, "s", false)
	if err != nil || latest.Version != 5 {
		t.Errorf("LatestVersion = %d, %v", latest.Version, err)
	}
}

func testCheckSeesPrevious(t *testing.T, in Instance) {
	ctx, s := context.Background(), in.Store
	register(t, s, "s", Schema("A"))
	register(t, s, "s", Schema("B"))
	var seen []string
	_, _, err := s.RegisterVersion(ctx, store.Registration{Subject: "s", Schema: Schema("C"), Check: func(prev []store.Version) error {
		for _, v := range prev {
			seen = append(seen, fmt.Sprintf("%d:%s", v.Version, v.Schema.Text))
		}
		return nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"1:" + Schema("A").Text, "2:" + Schema("B").Text}
	if diff := cmp.Diff(want, seen); diff != "" {
		t.Errorf("check saw (-want +got):\n%s", diff)
	}
	// A first registration's check sees nothing.
	_, _, err = s.RegisterVersion(ctx, store.Registration{Subject: "fresh", Schema: Schema("A"), Check: func(prev []store.Version) error {
		if len(prev) != 0 {
			return fmt.Errorf("first registration saw %d versions", len(prev))
		}
		return nil
	}})
	if err != nil {
		t.Error(err)
	}
}

var errRefused = errors.New("refused by the check")

func testCheckAborts(t *testing.T, in Instance) {
	ctx, s := context.Background(), in.Store
	refuse := func([]store.Version) error { return errRefused }
	_, created, err := s.RegisterVersion(ctx, store.Registration{Subject: "s", Schema: Schema("A"), Check: refuse,
		Audit: &store.Audit{Actor: "ci"}})
	if !errors.Is(err, errRefused) || created {
		t.Fatalf("refused registration: err %v, created %v", err, created)
	}
	if err != errRefused {
		t.Errorf("the check's error came back changed: %v", err)
	}
	if subjects, err := s.Subjects(ctx, true); err != nil || len(subjects) != 0 {
		t.Errorf("Subjects after a refused registration = %v, %v", subjects, err)
	}
	if _, err := s.SubjectVersionsByID(ctx, 1, true); !errors.Is(err, store.ErrSchemaNotFound) {
		t.Errorf("a schema is stored after a refused registration: %v", err)
	}
	if log, err := s.AuditLog(ctx, 0, 10); err != nil || len(log) != 0 {
		t.Errorf("audit log after a refused registration = %v, %v", log, err)
	}
	// On an existing subject, too.
	v1 := register(t, s, "s", Schema("A"))
	_, _, err = s.RegisterVersion(ctx, store.Registration{Subject: "s", Schema: Schema("B"), Check: refuse})
	wantErr(t, "refused second version", err, errRefused)
	if vs, err := s.Versions(ctx, "s", true); err != nil || len(vs) != 1 {
		t.Errorf("Versions after a refused second version = %d, %v", len(vs), err)
	}
	// Nothing was half-done: the next registration takes version 2 and a
	// new ID.
	v2 := register(t, s, "s", Schema("B"))
	if v2.Version != 2 || v2.Schema.ID == v1.Schema.ID {
		t.Errorf("registration after a refusal = %+v", v2)
	}
}

func testDeletes(t *testing.T, in Instance) {
	ctx, s := context.Background(), in.Store
	v1 := register(t, s, "s", Schema("A"))
	v2 := register(t, s, "s", Schema("B"))
	_, err := s.DeleteVersion(ctx, "s", 1, true, nil)
	wantErr(t, "hard delete of a live version", err, store.ErrNotSoftDeleted)
	d, err := s.DeleteVersion(ctx, "s", 1, false, nil)
	if err != nil || d.Version != 1 || d.Schema.ID != v1.Schema.ID {
		t.Fatalf("soft delete = %+v, %v", d, err)
	}
	_, err = s.DeleteVersion(ctx, "s", 1, false, nil)
	wantErr(t, "soft delete twice", err, store.ErrAlreadySoftDeleted)
	_, err = s.Version(ctx, "s", 1, false)
	wantErr(t, "Version of a soft-deleted version", err, store.ErrVersionNotFound)
	got, err := s.Version(ctx, "s", 1, true)
	if err != nil || !got.Deleted {
		t.Errorf("Version(deleted) of a soft-deleted version = %+v, %v", got, err)
	}
	if vs, err := s.Versions(ctx, "s", false); err != nil || len(vs) != 1 || vs[0].Version != 2 {
		t.Errorf("live Versions = %+v, %v", vs, err)
	}
	if vs, err := s.Versions(ctx, "s", true); err != nil || len(vs) != 2 || !vs[0].Deleted {
		t.Errorf("all Versions = %+v, %v", vs, err)
	}
	if _, err := s.LookupSchema(ctx, "s", Schema("A"), false); !errors.Is(err, store.ErrSchemaNotFound) {
		t.Errorf("LookupSchema of a soft-deleted schema = %v", err)
	}
	if got, err := s.LookupSchema(ctx, "s", Schema("A"), true); err != nil || got.Version != 1 {
		t.Errorf("LookupSchema(deleted) = %+v, %v", got, err)
	}
	// The schema is still served by ID while a version holds it.
	if _, err := s.SchemaByID(ctx, v1.Schema.ID); err != nil {
		t.Errorf("SchemaByID of a soft-deleted version's schema: %v", err)
	}
	// Registering the soft-deleted schema again makes a new version with
	// the same ID (Confluent's behaviour).
	v3 := register(t, s, "s", Schema("A"))
	if v3.Version != 3 || v3.Schema.ID != v1.Schema.ID {
		t.Errorf("re-registering a soft-deleted schema = %+v", v3)
	}
	if _, err := s.DeleteVersion(ctx, "s", 1, true, nil); err != nil {
		t.Fatalf("hard delete: %v", err)
	}
	_, err = s.Version(ctx, "s", 1, true)
	wantErr(t, "Version after hard delete", err, store.ErrVersionNotFound)
	_, err = s.DeleteVersion(ctx, "s", 1, true, nil)
	wantErr(t, "hard delete twice", err, store.ErrVersionNotFound)
	// Version 3 still holds the schema.
	if _, err := s.SchemaByID(ctx, v1.Schema.ID); err != nil {
		t.Errorf("SchemaByID of a schema still in use: %v", err)
	}
	// Removing the last version of a schema removes the schema, and its ID
	// is never given again.
	for _, permanent := range []bool{false, true} {
		if _, err := s.DeleteVersion(ctx, "s", 2, permanent, nil); err != nil {
			t.Fatal(err)
		}
	}
	_, err = s.SchemaByID(ctx, v2.Schema.ID)
	wantErr(t, "SchemaByID of a removed schema", err, store.ErrSchemaNotFound)
	again := register(t, s, "s", Schema("B"))
	if again.Schema.ID == v2.Schema.ID {
		t.Errorf("a removed schema's ID %d was given again", v2.Schema.ID)
	}
	_, err = s.DeleteVersion(ctx, "nobody", 1, false, nil)
	wantErr(t, "delete in an unknown subject", err, store.ErrSubjectNotFound)
}

func testDeleteSubject(t *testing.T, in Instance) {
	ctx, s := context.Background(), in.Store
	register(t, s, "s", Schema("A"))
	register(t, s, "s", Schema("B"))
	register(t, s, "keep", Schema("C"))
	_, err := s.DeleteSubject(ctx, "s", true, nil)
	wantErr(t, "hard delete of a live subject", err, store.ErrNotSoftDeleted)
	got, err := s.DeleteSubject(ctx, "s", false, nil)
	if err != nil || !slices.Equal(got, []int{1, 2}) {
		t.Fatalf("soft DeleteSubject = %v, %v", got, err)
	}
	_, err = s.DeleteSubject(ctx, "s", false, nil)
	wantErr(t, "soft delete of a soft-deleted subject", err, store.ErrAlreadySoftDeleted)
	if subjects, err := s.Subjects(ctx, false); err != nil || !slices.Equal(subjects, []string{"keep"}) {
		t.Errorf("live Subjects = %v, %v", subjects, err)
	}
	if subjects, err := s.Subjects(ctx, true); err != nil || !slices.Equal(subjects, []string{"keep", "s"}) {
		t.Errorf("all Subjects = %v, %v", subjects, err)
	}
	_, err = s.LatestVersion(ctx, "s", false)
	wantErr(t, "LatestVersion of a soft-deleted subject", err, store.ErrSubjectNotFound)
	got, err = s.DeleteSubject(ctx, "s", true, nil)
	if err != nil || !slices.Equal(got, []int{1, 2}) {
		t.Fatalf("hard DeleteSubject = %v, %v", got, err)
	}
	if subjects, err := s.Subjects(ctx, true); err != nil || !slices.Equal(subjects, []string{"keep"}) {
		t.Errorf("Subjects after hard delete = %v, %v", subjects, err)
	}
	_, err = s.DeleteSubject(ctx, "s", false, nil)
	wantErr(t, "delete of a removed subject", err, store.ErrSubjectNotFound)
	// A removed subject starts again at version 1.
	if v := register(t, s, "s", Schema("A")); v.Version != 1 {
		t.Errorf("first version of a re-created subject = %d", v.Version)
	}
}

func testReferences(t *testing.T, in Instance) {
	ctx, s := context.Background(), in.Store
	dep := register(t, s, "dep.proto", Schema("Dep"))
	ref := store.Reference{Name: "dep.proto", Subject: "dep.proto", Version: 1}
	main := register(t, s, "main", Schema("Main", ref))
	if diff := cmp.Diff([]store.Reference{ref}, main.Schema.References); diff != "" {
		t.Errorf("registered references (-want +got):\n%s", diff)
	}
	got, err := s.SchemaByID(ctx, main.Schema.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]store.Reference{ref}, got.References); diff != "" {
		t.Errorf("SchemaByID references (-want +got):\n%s", diff)
	}
	// The same text without the reference is another schema.
	bare := register(t, s, "bare", Schema("Main"))
	if bare.Schema.ID == main.Schema.ID {
		t.Error("a schema without references got the ID of the one with them")
	}
	by, err := s.ReferencedBy(ctx, "dep.proto", 1)
	if err != nil || !slices.Equal(by, []int64{main.Schema.ID}) {
		t.Errorf("ReferencedBy = %v, %v; want [%d]", by, err, main.Schema.ID)
	}
	if by, err := s.ReferencedBy(ctx, "main", 1); err != nil || len(by) != 0 {
		t.Errorf("ReferencedBy of an unreferenced version = %v, %v", by, err)
	}
	_, err = s.ReferencedBy(ctx, "dep.proto", 7)
	wantErr(t, "ReferencedBy of an unknown version", err, store.ErrVersionNotFound)
	_, err = s.DeleteVersion(ctx, "dep.proto", 1, false, nil)
	wantErr(t, "soft delete of a referenced version", err, store.ErrReferenced)
	_, err = s.DeleteSubject(ctx, "dep.proto", false, nil)
	wantErr(t, "soft delete of a referenced subject", err, store.ErrReferenced)
	// An unknown reference stores nothing.
	_, _, err = s.RegisterVersion(ctx, store.Registration{Subject: "broken",
		Schema: Schema("Broken", store.Reference{Name: "x.proto", Subject: "x.proto", Version: 1})})
	wantErr(t, "register with an unknown reference", err, store.ErrReferenceNotFound)
	if _, err := s.Versions(ctx, "broken", true); !errors.Is(err, store.ErrSubjectNotFound) {
		t.Errorf("a version was stored despite an unknown reference: %v", err)
	}
	// Once the referring version is soft-deleted, the referenced one may be
	// soft-deleted, but not removed while the referrer exists.
	if _, err := s.DeleteVersion(ctx, "main", 1, false, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.DeleteVersion(ctx, "dep.proto", 1, false, nil); err != nil {
		t.Fatalf("soft delete of a version referenced only by a soft-deleted one: %v", err)
	}
	_, err = s.DeleteVersion(ctx, "dep.proto", 1, true, nil)
	wantErr(t, "hard delete of a version a stored schema references", err, store.ErrReferenced)
	if _, err := s.DeleteVersion(ctx, "main", 1, true, nil); err != nil {
		t.Fatal(err)
	}
	if by, err := s.ReferencedBy(ctx, "dep.proto", 1); err != nil || len(by) != 0 {
		t.Errorf("ReferencedBy after the referrer was removed = %v, %v", by, err)
	}
	if _, err := s.DeleteVersion(ctx, "dep.proto", 1, true, nil); err != nil {
		t.Errorf("hard delete once unreferenced: %v", err)
	}
	_, err = s.SchemaByID(ctx, dep.Schema.ID)
	wantErr(t, "SchemaByID of the removed dependency", err, store.ErrSchemaNotFound)
}

func testImport(t *testing.T, in Instance) {
	ctx, s := context.Background(), in.Store
	v, created, err := s.RegisterVersion(ctx, store.Registration{Subject: "imp", Schema: Schema("A"), ID: 1000, Version: 5})
	if err != nil || !created || v.Schema.ID != 1000 || v.Version != 5 {
		t.Fatalf("import = %+v, %v, %v", v, created, err)
	}
	_, _, err = s.RegisterVersion(ctx, store.Registration{Subject: "imp", Schema: Schema("B"), ID: 1000, Version: 6})
	wantErr(t, "import of another schema under a taken ID", err, store.ErrIDConflict)
	_, _, err = s.RegisterVersion(ctx, store.Registration{Subject: "other", Schema: Schema("A"), ID: 1001})
	wantErr(t, "import of a stored schema under another ID", err, store.ErrIDConflict)
	_, _, err = s.RegisterVersion(ctx, store.Registration{Subject: "imp", Schema: Schema("C"), ID: 1002, Version: 5})
	wantErr(t, "import of a taken version", err, store.ErrVersionExists)
	// The same schema elsewhere, without an ID, gets the imported one.
	if w := register(t, s, "other", Schema("A")); w.Schema.ID != 1000 {
		t.Errorf("same schema after import: ID %d", w.Schema.ID)
	}
	// New IDs do not collide with the imported one, and the next version
	// follows the imported one.
	w := register(t, s, "imp", Schema("D"))
	if w.Schema.ID == 1000 || w.Version != 6 {
		t.Errorf("registration after import = %+v", w)
	}
}

func testInvalidInput(t *testing.T, in Instance) {
	ctx, s := context.Background(), in.Store
	tests := []struct {
		name string
		r    store.Registration
	}{
		{"empty subject", store.Registration{Subject: "", Schema: Schema("A")}},
		{"NUL in subject", store.Registration{Subject: "a\x00b", Schema: Schema("A")}},
		{"control character in subject", store.Registration{Subject: "a\nb", Schema: Schema("A")}},
		{"subject not UTF-8", store.Registration{Subject: "a\xffb", Schema: Schema("A")}},
		{"no type", store.Registration{Subject: "s", Schema: store.Schema{Text: "x"}}},
		{"text not UTF-8", store.Registration{Subject: "s", Schema: store.Schema{Type: store.Protobuf, Text: "\xff"}}},
		{"reference version 0", store.Registration{Subject: "s", Schema: Schema("A", store.Reference{Name: "d", Subject: "d", Version: 0})}},
		{"reference without a name", store.Registration{Subject: "s", Schema: Schema("A", store.Reference{Subject: "d", Version: 1})}},
		{"negative ID", store.Registration{Subject: "s", Schema: Schema("A"), ID: -1}},
	}
	for _, tt := range tests {
		_, _, err := s.RegisterVersion(ctx, tt.r)
		wantErr(t, tt.name, err, store.ErrInvalid)
	}
	wantErr(t, "unknown level", s.SetConfig(ctx, "", store.Config{Compatibility: "SOMETIMES"}, nil), store.ErrInvalid)
	wantErr(t, "unknown mode", s.SetMode(ctx, "s", "READMOSTLY", nil), store.ErrInvalid)
	wantErr(t, "config of a bad subject", s.SetConfig(ctx, "a\x00", store.Config{Compatibility: store.Full}, nil), store.ErrInvalid)
	_, _, err := s.PutCatalogVersion(ctx, store.CatalogPush{Catalog: "c"})
	wantErr(t, "empty image", err, store.ErrInvalid)
	if subjects, err := s.Subjects(ctx, true); err != nil || len(subjects) != 0 {
		t.Errorf("Subjects after invalid input = %v, %v", subjects, err)
	}
}

func testConfigAndMode(t *testing.T, in Instance) {
	ctx, s := context.Background(), in.Store
	_, err := s.Config(ctx, "")
	wantErr(t, "global config unset", err, store.ErrConfigNotFound)
	if c, err := store.EffectiveConfig(ctx, s, "s"); err != nil || c.Compatibility != store.Backward {
		t.Errorf("default config = %v, %v", c, err)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(s.SetConfig(ctx, "", store.Config{Compatibility: store.Full}, nil))
	must(s.SetConfig(ctx, "s", store.Config{Compatibility: store.None}, nil))
	must(s.SetConfig(ctx, "s", store.Config{Compatibility: store.ForwardTransitive}, nil))
	tests := []struct {
		subject string
		want    store.Compatibility
	}{{"", store.Full}, {"s", store.ForwardTransitive}, {"other", store.Full}}
	for _, tt := range tests {
		if c, err := store.EffectiveConfig(ctx, s, tt.subject); err != nil || c.Compatibility != tt.want {
			t.Errorf("EffectiveConfig(%q) = %v, %v; want %v", tt.subject, c, err, tt.want)
		}
	}
	_, err = s.Config(ctx, "other")
	wantErr(t, "config of a subject without one", err, store.ErrConfigNotFound)
	if c, err := s.DeleteConfig(ctx, "s", nil); err != nil || c.Compatibility != store.ForwardTransitive {
		t.Errorf("DeleteConfig = %v, %v", c, err)
	}
	_, err = s.DeleteConfig(ctx, "s", nil)
	wantErr(t, "DeleteConfig twice", err, store.ErrConfigNotFound)
	if c, err := store.EffectiveConfig(ctx, s, "s"); err != nil || c.Compatibility != store.Full {
		t.Errorf("EffectiveConfig after delete = %v, %v", c, err)
	}

	if m, err := store.EffectiveMode(ctx, s, "s"); err != nil || m != store.ReadWrite {
		t.Errorf("default mode = %v, %v", m, err)
	}
	must(s.SetMode(ctx, "", store.ReadOnly, nil))
	must(s.SetMode(ctx, "s", store.Import, nil))
	if m, err := store.EffectiveMode(ctx, s, "s"); err != nil || m != store.Import {
		t.Errorf("EffectiveMode(s) = %v, %v", m, err)
	}
	if m, err := store.EffectiveMode(ctx, s, "t"); err != nil || m != store.ReadOnly {
		t.Errorf("EffectiveMode(t) = %v, %v", m, err)
	}
	if m, err := s.DeleteMode(ctx, "s", nil); err != nil || m != store.Import {
		t.Errorf("DeleteMode = %v, %v", m, err)
	}
	if m, err := s.DeleteMode(ctx, "", nil); err != nil || m != store.ReadOnly {
		t.Errorf("DeleteMode global = %v, %v", m, err)
	}
	_, err = s.Mode(ctx, "")
	wantErr(t, "global mode after delete", err, store.ErrModeNotFound)
}

func testCatalogs(t *testing.T, in Instance) {
	ctx, s := context.Background(), in.Store
	a, b := []byte("image A: a FileDescriptorSet"), []byte("image B")
	v1, created, err := s.PutCatalogVersion(ctx, store.CatalogPush{Catalog: "acme", Image: a,
		Check: func(latest *store.CatalogVersion) error {
			if latest != nil {
				return fmt.Errorf("first push saw version %d", latest.Version)
			}
			return nil
		}})
	if err != nil || !created || v1.Version != 1 || v1.SHA256 != sha256.Sum256(a) || v1.Size != int64(len(a)) {
		t.Fatalf("first push = %+v, %v, %v", v1, created, err)
	}
	again, created, err := s.PutCatalogVersion(ctx, store.CatalogPush{Catalog: "acme", Image: a,
		Check: func(*store.CatalogVersion) error { return errors.New("must not be called") }})
	if err != nil || created || again.Version != 1 {
		t.Errorf("same image again = %+v, %v, %v", again, created, err)
	}
	_, _, err = s.PutCatalogVersion(ctx, store.CatalogPush{Catalog: "acme", Image: []byte("refused"),
		Check: func(*store.CatalogVersion) error { return errRefused }})
	wantErr(t, "refused push", err, errRefused)
	var saw []byte
	v2, created, err := s.PutCatalogVersion(ctx, store.CatalogPush{Catalog: "acme", Image: b,
		Check: func(latest *store.CatalogVersion) error { saw = latest.Image; return nil }})
	if err != nil || !created || v2.Version != 2 || string(saw) != string(a) {
		t.Fatalf("second push = %+v, %v, %v; check saw %q", v2, created, err, saw)
	}
	// Another catalog with the same image shares it.
	if v, _, err := s.PutCatalogVersion(ctx, store.CatalogPush{Catalog: "other", Image: a}); err != nil || v.Version != 1 {
		t.Errorf("push to another catalog = %+v, %v", v, err)
	}
	list, err := s.CatalogVersions(ctx, "acme")
	if err != nil || len(list) != 2 || list[0].Image != nil || list[1].SHA256 != sha256.Sum256(b) {
		t.Errorf("CatalogVersions = %+v, %v", list, err)
	}
	got, err := s.CatalogVersion(ctx, "acme", 1)
	if err != nil || string(got.Image) != string(a) {
		t.Errorf("CatalogVersion 1 = %+v, %v", got, err)
	}
	latest, err := s.LatestCatalogVersion(ctx, "acme")
	if err != nil || latest.Version != 2 || string(latest.Image) != string(b) {
		t.Errorf("LatestCatalogVersion = %+v, %v", latest, err)
	}
	if img, err := s.Image(ctx, sha256.Sum256(a)); err != nil || string(img) != string(a) {
		t.Errorf("Image by SHA-256 = %q, %v", img, err)
	}
	_, err = s.Image(ctx, sha256.Sum256([]byte("refused")))
	wantErr(t, "image of a refused push", err, store.ErrCatalogNotFound)
	if names, err := s.Catalogs(ctx); err != nil || !slices.Equal(names, []string{"acme", "other"}) {
		t.Errorf("Catalogs = %v, %v", names, err)
	}
	_, err = s.CatalogVersion(ctx, "acme", 3)
	wantErr(t, "unknown catalog version", err, store.ErrCatalogNotFound)
	_, err = s.CatalogVersions(ctx, "nobody")
	wantErr(t, "unknown catalog", err, store.ErrCatalogNotFound)
	_, err = s.LatestCatalogVersion(ctx, "nobody")
	wantErr(t, "latest of an unknown catalog", err, store.ErrCatalogNotFound)
}

func testAPIKeys(t *testing.T, in Instance) {
	ctx, s := context.Background(), in.Store
	k := store.APIKey{Name: "ci", Hash: sha256.Sum256([]byte("secret")), Scopes: []store.Scope{store.ScopeWrite, store.ScopeRead}, SubjectPrefix: "acme."}
	if err := s.CreateAPIKey(ctx, k, nil); err != nil {
		t.Fatal(err)
	}
	got, err := s.APIKeyByHash(ctx, k.Hash)
	if err != nil {
		t.Fatal(err)
	}
	want := k
	want.Scopes = []store.Scope{store.ScopeRead, store.ScopeWrite}
	if diff := cmp.Diff(want, got, cmpIgnoreCreated); diff != "" || got.Created.IsZero() {
		t.Errorf("APIKeyByHash (-want +got):\n%s", diff)
	}
	wantErr(t, "same name", s.CreateAPIKey(ctx, store.APIKey{Name: "ci", Hash: sha256.Sum256([]byte("other")), Scopes: []store.Scope{store.ScopeRead}}, nil), store.ErrAPIKeyExists)
	wantErr(t, "same hash", s.CreateAPIKey(ctx, store.APIKey{Name: "ci2", Hash: k.Hash, Scopes: []store.Scope{store.ScopeRead}}, nil), store.ErrAPIKeyExists)
	wantErr(t, "bad scope", s.CreateAPIKey(ctx, store.APIKey{Name: "x", Hash: sha256.Sum256([]byte("x")), Scopes: []store.Scope{"root"}}, nil), store.ErrInvalid)
	wantErr(t, "no scope", s.CreateAPIKey(ctx, store.APIKey{Name: "x", Hash: sha256.Sum256([]byte("x"))}, nil), store.ErrInvalid)
	wantErr(t, "no hash", s.CreateAPIKey(ctx, store.APIKey{Name: "x", Scopes: []store.Scope{store.ScopeRead}}, nil), store.ErrInvalid)
	if err := s.CreateAPIKey(ctx, store.APIKey{Name: "admin", Hash: sha256.Sum256([]byte("root")), Scopes: []store.Scope{store.ScopeAdmin}}, nil); err != nil {
		t.Fatal(err)
	}
	keys, err := s.APIKeys(ctx)
	if err != nil || len(keys) != 2 || keys[0].Name != "admin" || keys[1].Name != "ci" {
		t.Errorf("APIKeys = %+v, %v", keys, err)
	}
	_, err = s.APIKeyByHash(ctx, sha256.Sum256([]byte("guess")))
	wantErr(t, "unknown key", err, store.ErrAPIKeyNotFound)
	if err := s.DeleteAPIKey(ctx, "ci", nil); err != nil {
		t.Fatal(err)
	}
	_, err = s.APIKeyByHash(ctx, k.Hash)
	wantErr(t, "deleted key", err, store.ErrAPIKeyNotFound)
	wantErr(t, "delete twice", s.DeleteAPIKey(ctx, "ci", nil), store.ErrAPIKeyNotFound)
}

var cmpIgnoreCreated = cmp.FilterPath(func(p cmp.Path) bool { return p.Last().String() == ".Created" }, cmp.Ignore())

func testAudit(t *testing.T, in Instance) {
	ctx, s := context.Background(), in.Store
	if err := s.VerifyAudit(ctx); err != nil {
		t.Errorf("VerifyAudit of an empty log: %v", err)
	}
	ci := &store.Audit{Actor: "ci-key"}
	v, _, err := s.RegisterVersion(ctx, store.Registration{Subject: "s", Schema: Schema("A"), Audit: ci,
		Check: func([]store.Version) error {
			ci.Detail = "REDACTION_WEAKENED acknowledged: the service needs it"
			return nil
		}})
	if err != nil {
		t.Fatal(err)
	}
	// An idempotent re-registration writes nothing, so records nothing.
	if _, _, err := s.RegisterVersion(ctx, store.Registration{Subject: "s", Schema: Schema("A"), Audit: &store.Audit{Actor: "again"}}); err != nil {
		t.Fatal(err)
	}
	admin := &store.Audit{Actor: "admin"}
	steps := []error{
		s.SetConfig(ctx, "s", store.Config{Compatibility: store.Full}, admin),
		s.SetMode(ctx, "", store.ReadOnly, admin),
		s.CreateAPIKey(ctx, store.APIKey{Name: "k", Hash: sha256.Sum256([]byte("k")), Scopes: []store.Scope{store.ScopeRead}}, admin),
	}
	_, _, err = s.PutCatalogVersion(ctx, store.CatalogPush{Catalog: "acme", Image: []byte("img"), Audit: &store.Audit{Actor: "ci-key"}})
	steps = append(steps, err)
	_, err = s.DeleteVersion(ctx, "s", 1, false, admin)
	steps = append(steps, err)
	_, err = s.AppendAudit(ctx, store.AuditEntry{Actor: "operator", Action: "verify", Detail: "manual"})
	steps = append(steps, err)
	for i, err := range steps {
		if err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
	}
	log, err := s.AuditLog(ctx, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		Seq                             int64
		Actor, Action, Subject, Catalog string
		Version                         int
		SchemaID                        int64
		Detail                          string
	}
	var got []row
	for _, r := range log {
		got = append(got, row{r.Seq, r.Actor, r.Action, r.Subject, r.Catalog, r.Version, r.SchemaID, r.Detail})
		if r.Time.IsZero() {
			t.Errorf("record %d has no time", r.Seq)
		}
	}
	want := []row{
		{1, "ci-key", store.ActionRegister, "s", "", 1, v.Schema.ID, "REDACTION_WEAKENED acknowledged: the service needs it"},
		{2, "admin", store.ActionSetConfig, "s", "", 0, 0, ""},
		{3, "admin", store.ActionSetMode, "", "", 0, 0, ""},
		{4, "admin", store.ActionCreateAPIKey, "", "", 0, 0, "k"},
		{5, "ci-key", store.ActionPushCatalog, "", "acme", 1, 0, ""},
		{6, "admin", store.ActionDeleteVersion, "s", "", 1, v.Schema.ID, ""},
		{7, "operator", "verify", "", "", 0, 0, "manual"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("AuditLog (-want +got):\n%s", diff)
	}
	if err := s.VerifyAudit(ctx); err != nil {
		t.Errorf("VerifyAudit: %v", err)
	}
	if page, err := s.AuditLog(ctx, 5, 1); err != nil || len(page) != 1 || page[0].Seq != 6 {
		t.Errorf("AuditLog(after 5, limit 1) = %+v, %v", page, err)
	}
}

func testAuditTamper(t *testing.T, in Instance) {
	tests := []struct {
		name    string
		sql     string
		wantSeq int64
	}{
		{"detail edited", "UPDATE audit_log SET detail = 'nothing to see' WHERE seq = 3", 3},
		{"actor edited", "UPDATE audit_log SET actor = 'someone else' WHERE seq = 2", 2},
		{"record removed", "DELETE FROM audit_log WHERE seq = 4", 4},
		{"version edited, hash recomputed by hand is not possible", "UPDATE audit_log SET version = 9 WHERE seq = 5", 5},
	}
	// Each case on a log of its own, in one store: the log is rebuilt.
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, s := context.Background(), in.Store
			in.Exec(t, "DELETE FROM audit_log")
			for i := range 6 {
				if _, err := s.AppendAudit(ctx, store.AuditEntry{Actor: "a", Action: "act", Version: i, Detail: fmt.Sprint(i)}); err != nil {
					t.Fatal(err)
				}
			}
			if err := s.VerifyAudit(ctx); err != nil {
				t.Fatalf("VerifyAudit before tampering: %v", err)
			}
			in.Exec(t, tt.sql)
			err := s.VerifyAudit(ctx)
			var ce *store.ChainError
			if !errors.As(err, &ce) || ce.Seq != tt.wantSeq {
				t.Errorf("VerifyAudit after %q = %v, want a ChainError naming record %d", tt.sql, err, tt.wantSeq)
			}
		})
	}
}

func testChanges(t *testing.T, in Instance) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s := in.Store
	ch := s.Changes(ctx)
	v := register(t, s, "s", Schema("A"))
	if _, err := s.DeleteVersion(ctx, "s", 1, false, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.DeleteVersion(ctx, "s", 1, true, nil); err != nil {
		t.Fatal(err)
	}
	if err := s.SetConfig(ctx, "", store.Config{Compatibility: store.None}, nil); err != nil {
		t.Fatal(err)
	}
	want := []store.Change{
		{Kind: store.ChangeSubject, Subject: "s", SchemaID: v.Schema.ID},
		{Kind: store.ChangeSubject, Subject: "s", SchemaID: v.Schema.ID},
		{Kind: store.ChangeSubject, Subject: "s", SchemaID: v.Schema.ID},
		{Kind: store.ChangeSchemaRemoved, SchemaID: v.Schema.ID},
		{Kind: store.ChangeConfig},
	}
	got := WaitChanges(t, ch, len(want))
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Changes (-want +got):\n%s", diff)
	}
}

// WaitChanges reads n changes from ch, failing t after 10 seconds.
func WaitChanges(t *testing.T, ch <-chan store.Change, n int) []store.Change {
	t.Helper()
	var got []store.Change
	timeout := time.After(10 * time.Second)
	for len(got) < n {
		select {
		case c, ok := <-ch:
			if !ok {
				t.Fatalf("changes closed after %v", got)
			}
			got = append(got, c)
		case <-timeout:
			t.Fatalf("waited 10s for %d changes, got %v", n, got)
		}
	}
	return got
}

func testConcurrent(t *testing.T, in Instance) {
	Load(t, []store.Store{in.Store}, 8, 50)
}

// Load registers from workers goroutines, each perWorker schemas, spread
// over the stores (which share one database) and four subjects, drawing
// from a pool of schemas small enough that many registrations repeat one.
// It then checks that every subject's versions run from 1 without gaps,
// that each schema has one ID and each ID one schema, and that every
// registration a store reported is stored.
func Load(t *testing.T, stores []store.Store, workers, perWorker int) {
	t.Helper()
	ctx := context.Background()
	subjects := []string{"load-a", "load-b", "load-c", "load-d"}
	type result struct {
		subject string
		text    string
		v       store.Version
	}
	var mu sync.Mutex
	var results []result
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := range workers {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(w), 14))
			s := stores[w%len(stores)]
			for range perWorker {
				subject := subjects[rng.IntN(len(subjects))]
				sc := Schema(fmt.Sprintf("M%d", rng.IntN(120)))
				v, _, err := s.RegisterVersion(ctx, store.Registration{Subject: subject, Schema: sc,
					Audit: &store.Audit{Actor: fmt.Sprintf("worker-%d", w)}})
				if err != nil {
					errs <- fmt.Errorf("worker %d: %w", w, err)
					return
				}
				mu.Lock()
				results = append(results, result{subject, sc.Text, v})
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	idOf := map[string]int64{}
	textOf := map[int64]string{}
	for _, r := range results {
		if id, ok := idOf[r.text]; ok && id != r.v.Schema.ID {
			t.Errorf("schema %q has IDs %d and %d", r.text, id, r.v.Schema.ID)
		}
		if text, ok := textOf[r.v.Schema.ID]; ok && text != r.text {
			t.Errorf("ID %d is two schemas", r.v.Schema.ID)
		}
		idOf[r.text], textOf[r.v.Schema.ID] = r.v.Schema.ID, r.text
	}
	s := stores[0]
	total := 0
	for _, subject := range subjects {
		vs, err := s.Versions(ctx, subject, true)
		if err != nil {
			t.Fatalf("versions of %s: %v", subject, err)
		}
		seen := map[int64]bool{}
		for i, v := range vs {
			if v.Version != i+1 {
				t.Errorf("%s: version %d at position %d", subject, v.Version, i+1)
			}
			if seen[v.Schema.ID] {
				t.Errorf("%s: schema %d registered twice", subject, v.Schema.ID)
			}
			seen[v.Schema.ID] = true
		}
		total += len(vs)
	}
	for _, r := range results {
		got, err := s.Version(ctx, r.subject, r.v.Version, false)
		if err != nil || got.Schema.ID != r.v.Schema.ID || got.Schema.Text != r.text {
			t.Errorf("reported %s version %d (ID %d) is stored as %+v, %v", r.subject, r.v.Version, r.v.Schema.ID, got, err)
		}
	}
	// Each created version wrote one audit record, and the chain holds.
	log, err := s.AuditLog(ctx, 0, total+10)
	if err != nil {
		t.Fatal(err)
	}
	if len(log) != total {
		t.Errorf("%d audit records for %d versions", len(log), total)
	}
	if err := s.VerifyAudit(ctx); err != nil {
		t.Error(err)
	}
	t.Logf("%d registrations, %d versions over %d subjects, %d schemas", len(results), total, len(subjects), len(textOf))
}
