package impl

import (
	"fmt"
	"strings"

	"google.golang.org/protobuf/reflect/protoreflect"

	provisionv1 "github.com/provisionhq/provision/gen/go/provision/v1"
)

// DescribeRedaction returns a short, stable description of a strategy and
// its parameters, as tables and diffs print it: "keep",
// "hmac(key=installation)", "ip_truncate(/24, /48)".
func DescribeRedaction(r *provisionv1.Redaction) string {
	return StrategyKindOf(r).describe(r)
}

// DescribeItem describes an item's strategy followed by its overrides:
// "url_sanitize(drop query); under CLOUD_EXTENDED: url_sanitize()".
func DescribeItem(item *provisionv1.DataItem) string {
	parts := []string{DescribeRedaction(item.GetRedaction())}
	for _, u := range item.GetRedactionUnder() {
		parts = append(parts, fmt.Sprintf("under %s: %s", u.GetWhen(), DescribeRedaction(u.GetRedaction())))
	}
	return strings.Join(parts, "; ")
}

// FieldInfo is what a program can read of one data item of a payload: its
// path, the words a customer reads and its classification.
type FieldInfo struct {
	// Path is the dotted path of proto names from the payload.
	Path            string
	Label           string
	Category        provisionv1.Category
	Identifiability provisionv1.Identifiability
	Requires        string
	// Strategy describes the redaction, overrides included (DescribeItem).
	Strategy string
}

// Fields lists the data items of a payload message and of the payload
// messages it contains, depth first in declaration order: the reflection
// counterpart of the generated ProvisionFields methods. Fields without an
// annotation are not data items and are not listed.
func Fields(md protoreflect.MessageDescriptor) []FieldInfo {
	out := []FieldInfo{}
	var walk func(md protoreflect.MessageDescriptor, prefix string, depth int)
	walk = func(md protoreflect.MessageDescriptor, prefix string, depth int) {
		pol := PolicyFor(md, nil)
		fds := md.Fields()
		for i := range fds.Len() {
			fp := pol.fields[i]
			if fp == nil {
				continue
			}
			fd := fds.Get(i)
			path := prefix + string(fd.Name())
			out = append(out, FieldInfo{
				Path:            path,
				Label:           fp.item.GetLabel(),
				Category:        fp.item.GetCategory(),
				Identifiability: fp.item.GetIdentifiability(),
				Requires:        fp.item.GetRequires(),
				Strategy:        DescribeItem(fp.item),
			})
			if IsPayloadMessage(fd) && depth < maxDepth {
				child := fd.Message()
				if fd.IsMap() {
					child = fd.MapValue().Message()
				}
				walk(child, path+".", depth+1)
			}
		}
	}
	walk(md, "", 0)
	return out
}

// maxDepth bounds how deep Fields follows nested messages, against
// recursive types (which the catalog refuses).
const maxDepth = 32
