// Package templates holds every text the bot sends, so that coordinators
// can change the wording without touching Go code.
//
// Each text is a text/template file named after its message, for example
// templates/volunteer_offer.tmpl, and is embedded in the binary. Each
// message is a Go type that implements [Message]; its exported fields are
// the data the template can use, such as {{.Name}} or {{.Code}}. The first
// line of every embedded file is a template comment that says who receives
// the text and which fields it may use.
//
// [Load] parses the embedded files and then, if it is given a directory,
// lets every *.tmpl file in that directory replace the embedded file of the
// same name. A coordinator can therefore copy one embedded file into the
// override directory, change the words and restart the bot. Load refuses to
// start if a file name is not a known template, if a file does not parse,
// or if any template fails to render with the sample data from [Samples],
// for example because it names a field that does not exist. Files in the
// directory that do not end in .tmpl, and sub-directories, are ignored.
//
// Leading and trailing white space (including the newline that most editors
// add at the end of a file) is trimmed from every rendered text, and
// Windows line endings in template files are turned into plain newlines.
//
// Wording rules: keep every text kind, plain and free of jargon. Use only
// plain ASCII apostrophes and quotes, and no emoji: a single curly quote or
// emoji makes the whole text UCS-2, which cuts an SMS segment from 160 to 70
// characters. With the sample data every text must stay within 2 SMS
// segments; [Segments] and [GSM7] measure this, and the package tests check
// it for the embedded templates.
package templates
