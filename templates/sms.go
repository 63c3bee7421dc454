package templates

// SMS segment sizes, in septets for GSM-7 and UTF-16 code units for UCS-2.
const (
	gsmSingle = 160 // GSM-7 units in a message sent as one segment
	gsmMulti  = 153 // GSM-7 units per segment of a concatenated message
	ucsSingle = 70  // UTF-16 units in a message sent as one segment
	ucsMulti  = 67  // UTF-16 units per segment of a concatenated message
)

// gsmBasic is the GSM 03.38 default alphabet, as Unicode, without the
// escape code 0x1B (which only introduces an extension character). Each of
// these characters takes one septet.
const gsmBasic = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
	"¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"

// gsmExtension is the GSM 03.38 extension table (form feed ^ { } \ [ ~ ] | €).
// Each of these characters takes two septets: the escape code and the
// character.
const gsmExtension = "\f^{}\\[~]|€"

// gsmWidth maps every GSM-7 character to the number of septets it takes.
var gsmWidth = func() map[rune]int {
	w := make(map[rune]int, 140)
	for _, r := range gsmBasic {
		w[r] = 1
	}
	for _, r := range gsmExtension {
		w[r] = 2
	}
	return w
}()

// GSM7 reports whether text can be sent in the GSM-7 alphabet, that is
// whether every character is in the GSM 03.38 basic set or its extension
// table. Empty text is GSM-7. Text that is not valid UTF-8 is not.
func GSM7(text string) bool {
	for _, r := range text {
		if gsmWidth[r] == 0 {
			return false
		}
	}
	return true
}

// Segments returns how many SMS segments text needs.
//
// If text is GSM-7 (see GSM7), each character of the GSM 03.38 basic set
// counts 1 and each extension table character (^ { } \ [ ~ ] | € and form
// feed) counts 2; text of up to 160 units is one segment, and longer text is
// sent in segments of 153 units each. Otherwise the text is sent as UCS-2,
// counted in UTF-16 code units (so an emoji counts 2): up to 70 units is one
// segment, and longer text is sent in segments of 67 units each.
//
// As phones and gateways do, a two-unit extension character or UTF-16
// surrogate pair is never split between two segments, so a long text can
// occasionally need one segment more than a plain division suggests.
//
// Empty text is 0 segments.
func Segments(text string) int {
	if text == "" {
		return 0
	}
	gsm := GSM7(text)
	single, multi := ucsSingle, ucsMulti
	if gsm {
		single, multi = gsmSingle, gsmMulti
	}
	total := 0
	for _, r := range text {
		total += units(r, gsm)
	}
	if total <= single {
		return 1
	}
	n, used := 1, 0
	for _, r := range text {
		w := units(r, gsm)
		if used+w > multi {
			n++
			used = 0
		}
		used += w
	}
	return n
}

// units returns how many units r takes: septets if gsm, otherwise UTF-16
// code units.
func units(r rune, gsm bool) int {
	if gsm {
		return gsmWidth[r]
	}
	if r >= 0x10000 {
		return 2
	}
	return 1
}
