// Package sqlfile reads named SQL statements from an embedded file into
// the string fields of a struct, so that a store keeps its SQL in .sql
// files and learns of a missing or stray statement when it opens, not
// when it first runs one.
//
// A file is a sequence of blocks, each starting with a line
//
//	-- name: SchemaByID
//
// followed by the statement. Other comment lines and blank lines around a
// statement are dropped.
package sqlfile

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
)

// Parse returns the statements of text by name.
func Parse(text string) (map[string]string, error) {
	out := map[string]string{}
	var name string
	var body []string
	flush := func() error {
		if name == "" {
			if strings.TrimSpace(strings.Join(body, "")) != "" {
				return errors.New("statement before the first \"-- name:\" line")
			}
			return nil
		}
		stmt := strings.TrimSpace(strings.Join(body, "\n"))
		if stmt == "" {
			return fmt.Errorf("statement %s is empty", name)
		}
		if _, dup := out[name]; dup {
			return fmt.Errorf("statement %s is defined twice", name)
		}
		out[name] = stmt
		return nil
	}
	for line := range strings.SplitSeq(text, "\n") {
		trimmed := strings.TrimSpace(line)
		if n, ok := strings.CutPrefix(trimmed, "-- name:"); ok {
			if err := flush(); err != nil {
				return nil, err
			}
			name, body = strings.TrimSpace(n), nil
			if name == "" {
				return nil, errors.New("a \"-- name:\" line without a name")
			}
			continue
		}
		if strings.HasPrefix(trimmed, "--") {
			continue
		}
		body = append(body, line)
	}
	if err := flush(); err != nil {
		return nil, err
	}
	return out, nil
}

// Load parses text and sets each string field of the struct dst points
// to from the statement named like the field. It fails if a field has no
// statement or a statement no field.
func Load(dst any, text string) error {
	stmts, err := Parse(text)
	if err != nil {
		return err
	}
	v := reflect.ValueOf(dst)
	if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct {
		return fmt.Errorf("load statements into %T: not a pointer to a struct", dst)
	}
	v = v.Elem()
	used := map[string]bool{}
	var missing []string
	for i := range v.NumField() {
		f := v.Type().Field(i)
		if f.Type.Kind() != reflect.String || !f.IsExported() {
			continue
		}
		stmt, ok := stmts[f.Name]
		if !ok {
			missing = append(missing, f.Name)
			continue
		}
		v.Field(i).SetString(stmt)
		used[f.Name] = true
	}
	var stray []string
	for name := range stmts {
		if !used[name] {
			stray = append(stray, name)
		}
	}
	if len(missing) > 0 || len(stray) > 0 {
		return fmt.Errorf("statements missing: %v; statements no field uses: %v", missing, stray)
	}
	return nil
}
