package docs

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"strings"
)

//go:embed templates/site.html.tmpl
var templateFS embed.FS

// siteTemplates are the site's page layouts. html/template escapes every
// catalog text for its context (element text, attribute, URL), so a
// hostile label is shown as text, never run.
var siteTemplates = template.Must(template.New("site").Funcs(template.FuncMap{
	"join": strings.Join,
}).ParseFS(templateFS, "templates/site.html.tmpl"))

// siteLang is a language in the language switch of a site page.
type siteLang struct {
	Code, Name, Href, Title string
	Current                 bool
}

// siteData is what a site template renders.
type siteData struct {
	Lang      string
	Title     string
	IndexHref string
	Langs     []siteLang
	L         phrases
	Page      *pageView
	Index     *indexView
}

func render(name string, data any) ([]byte, error) {
	var buf bytes.Buffer
	if err := siteTemplates.ExecuteTemplate(&buf, name, data); err != nil {
		return nil, fmt.Errorf("docs: render %s: %w", name, err)
	}
	return buf.Bytes(), nil
}

// siteLangs links file in every language, marking current.
func siteLangs(langs []langLink, file string) []siteLang {
	out := make([]siteLang, len(langs))
	for i, l := range langs {
		out[i] = siteLang{Code: l.Code, Name: l.Name, Href: "../" + l.Code + "/" + file, Current: l.Current}
	}
	return out
}

func htmlPage(v pageView, langs []langLink) ([]byte, error) {
	return render("page", siteData{
		Lang: v.Lang, Title: v.Title, IndexHref: "index.html",
		Langs: siteLangs(langs, v.Name+".html"), L: v.L, Page: &v,
	})
}

func htmlIndex(v indexView, langs []langLink) ([]byte, error) {
	return render("index", siteData{
		Lang: v.Lang, Title: v.Title,
		Langs: siteLangs(langs, "index.html"), L: v.L, Index: &v,
	})
}

// htmlRoot is the site's entry: the index in every language.
func htmlRoot(indexes []indexView, langs []langLink) ([]byte, error) {
	root := siteData{Lang: SourceLanguage}
	for i, l := range langs {
		root.Langs = append(root.Langs, siteLang{Code: l.Code, Name: l.Name, Href: l.Code + "/index.html", Title: indexes[i].Title})
	}
	root.Title = indexes[0].Title
	return render("root", root)
}
