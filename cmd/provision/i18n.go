package main

import (
	"context"
	"fmt"
	"io"

	"github.com/provisionhq/provision/internal/layout"
	"github.com/provisionhq/provision/internal/translations"
)

const i18nDoc = `
I18n brings the translation files of the pages up to date with the
catalog, for the repository that holds the working directory: every
<language>.json of the directory that buf.gen.yaml gives the docs plugin
(its option i18n=; i18n/ when the option is empty, as in a repository
that writes English pages only), and a new file for -lang. The pages'
texts are those of the catalog and of the changelogs of the versions
its option versions= lists.

In each file, a text the pages use and the file lacks is added with an
empty "text"; a translation whose English changed is kept, with the
English it was made from in "review"; a key no page uses is dropped. No
translation is ever cleared: a changelog sentence is keyed by its
content, so a change inserted before it leaves it as it is.

It prints each file it wrote on stdout, then the texts left to translate
(an empty "text") and to review (delete "review" once the text matches
"en"): generate fails until there are none.

With -check it writes nothing, and exits 1 when a file would change or a
text is left to translate or to review.
`

// runI18n runs `provision i18n [-lang TAG] [-check]`.
func runI18n(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("i18n", "[-lang TAG] [-check]", i18nDoc)
	lang := fs.String("lang", "", "also create the file of this language (a BCP 47 tag: de, fr, pt-BR) when there is none")
	check := fs.Bool("check", false, "write nothing; exit 1 when a file would change or a text is left to translate or review")
	if code, done := parseFlags(fs, args, stdout, stderr); done {
		return code
	}
	if fs.NArg() > 0 {
		return usageError(fs, stderr, fmt.Sprintf("unexpected argument %q", fs.Arg(0)))
	}
	root, err := layout.FindRoot(".")
	if err != nil {
		return fail(stderr, err)
	}
	return i18nAt(ctx, root, *lang, *check, stdout, stderr)
}

// i18nAt is runI18n for the repository at root.
func i18nAt(ctx context.Context, root, lang string, check bool, stdout, stderr io.Writer) int {
	repo, err := translations.Load(ctx, root)
	if err != nil {
		return fail(stderr, err)
	}
	var add []string
	if lang != "" {
		add = append(add, lang)
	}
	updates, err := repo.Plan(add...)
	if err != nil {
		return fail(stderr, err)
	}
	if len(updates) == 0 {
		fmt.Fprintf(stdout, "%s/ holds no translation: the pages are in English only. Add a language with 'provision i18n -lang de'.\n", repo.Config.Dir)
		return exitOK
	}
	if check {
		return checkI18n(updates, stdout, stderr)
	}
	if err := repo.Write(updates); err != nil {
		return fail(stderr, err)
	}
	open := false
	for _, u := range updates {
		if u.Changed() {
			kind := "changed"
			if u.Before == nil {
				kind = "added"
			}
			fmt.Fprintf(stdout, "%-8s %s\n", kind, u.Path)
		}
		open = open || len(u.Open) > 0
		printOpen(stdout, u)
	}
	if !repo.Config.Enabled {
		next := "once every text is translated"
		if !open {
			next = "every text is translated"
		}
		fmt.Fprintf(stdout, "buf.gen.yaml gives %s the option i18n= (English only): %s, write i18n=%s there and run 'provision generate'.\n",
			translations.DocsPlugin, next, repo.Config.Dir)
	}
	return exitOK
}

// checkI18n reports on stderr every file that i18n would change and every
// text left open, and returns exitFailed if there is any; a file that is
// up to date and wholly translated is said so on stdout.
func checkI18n(updates []translations.Update, stdout, stderr io.Writer) int {
	code := exitOK
	for _, u := range updates {
		if !u.Changed() && len(u.Open) == 0 {
			fmt.Fprintf(stdout, "%s: up to date, every text is translated\n", u.Path)
			continue
		}
		if u.Changed() {
			what := "would change"
			if u.Before == nil {
				what = "does not exist"
			}
			fmt.Fprintf(stderr, "provision: i18n -check: %s %s: run 'provision i18n'\n", u.Path, what)
			code = exitFailed
		}
		if len(u.Open) > 0 {
			printOpen(stderr, u)
			code = exitFailed
		}
	}
	return code
}

// printOpen prints how many texts of u are left to translate and to
// review, and each of them with its English.
func printOpen(w io.Writer, u translations.Update) {
	missing, review := u.Missing()
	if missing+review == 0 {
		fmt.Fprintf(w, "%s: every text is translated\n", u.Path)
		return
	}
	fmt.Fprintf(w, "%s: %d to translate, %d to review:\n", u.Path, missing, review)
	for _, o := range u.Open {
		if o.Review == "" {
			fmt.Fprintf(w, "  translate %s: %q\n", o.Key, o.En)
		}
	}
	for _, o := range u.Open {
		if o.Review != "" {
			fmt.Fprintf(w, "  review    %s: %q, translated from %q\n", o.Key, o.En, o.Review)
		}
	}
}
