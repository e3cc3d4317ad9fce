package api_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"

	"github.com/provisionhq/provision/internal/registry/api"
	"github.com/provisionhq/provision/internal/registry/store/sqlite"
)

// Example serves the registry on an SQLite store and registers a schema
// the way a Confluent client does.
func Example() {
	dir, err := os.MkdirTemp("", "registry-example-")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	st, err := sqlite.Open(context.Background(), filepath.Join(dir, "registry.db"))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer st.Close()
	srv, err := api.New(api.Options{Store: st, NoAuth: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()
	hs := httptest.NewServer(srv)
	defer hs.Close()

	body := `{"schemaType":"PROTOBUF","schema":"syntax = \"proto3\";\nmessage Order { string id = 1; }\n"}`
	resp, err := http.Post(hs.URL+"/subjects/orders-value/versions", api.ContentType, strings.NewReader(body))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(resp.Body)
	fmt.Print(resp.Status, " ", string(answer))
	// Output: 200 OK {"id":1}
}
