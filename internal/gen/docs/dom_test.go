package docs_test

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// node is an element of a parsed HTML page: enough of a DOM for the tests
// to find sections, lists, links and ids.
type node struct {
	Tag      string
	Attr     map[string]string
	Children []*node
	text     strings.Builder
	parent   *node
}

// parseHTML parses an HTML page (the generator's output or a browser's
// serialised DOM) with encoding/xml in its lenient HTML mode: void
// elements close themselves and HTML entities are known.
func parseHTML(data []byte) (*node, error) {
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = false
	dec.AutoClose = xml.HTMLAutoClose
	dec.Entity = xml.HTMLEntity
	root := &node{Tag: "#document", Attr: map[string]string{}}
	cur := root
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return root, nil
		}
		if err != nil {
			return nil, fmt.Errorf("parse HTML: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			n := &node{Tag: strings.ToLower(t.Name.Local), Attr: map[string]string{}, parent: cur}
			for _, a := range t.Attr {
				n.Attr[strings.ToLower(a.Name.Local)] = a.Value
			}
			cur.Children = append(cur.Children, n)
			cur = n
		case xml.EndElement:
			for n := cur; n != root; n = n.parent {
				if n.Tag == strings.ToLower(t.Name.Local) {
					cur = n.parent
					break
				}
			}
		case xml.CharData:
			for n := cur; n != nil; n = n.parent {
				n.text.Write(t)
			}
		}
	}
}

// Text is the element's text content with white space collapsed.
func (n *node) Text() string { return strings.Join(strings.Fields(n.text.String()), " ") }

// find returns every element below n, depth first, for which match holds.
func (n *node) find(match func(*node) bool) []*node {
	var out []*node
	var walk func(*node)
	walk = func(x *node) {
		for _, c := range x.Children {
			if match(c) {
				out = append(out, c)
			}
			walk(c)
		}
	}
	walk(n)
	return out
}

// hasClass reports whether the element has the class c.
func (n *node) hasClass(c string) bool {
	return strings.Contains(" "+n.Attr["class"]+" ", " "+c+" ")
}

func byTag(tag string) func(*node) bool { return func(n *node) bool { return n.Tag == tag } }

func byClass(tag, class string) func(*node) bool {
	return func(n *node) bool { return n.Tag == tag && n.hasClass(class) }
}
