// Package mrz parses, verifies and repairs machine readable zones (MRZ) of
// identity documents, in pure Go.
//
// Formats (Record.Format): TD1 (3x30, ID cards and residence permits), TD2
// (2x36), TD3 (2x44, passports), MRVA (2x44 visa), MRVB (2x36 visa), DL1
// (ISO/IEC 18013 one-line driving licence, "D1" + issuer: French layout
// with a document number check digit, Dutch layout otherwise), FRA_ID
// (French national ID 1988-2021, 2x36 "IDFRA"), CH_DL (Swiss driving
// licence, 9/30/30) and SVK_ID (Slovak 2x34). A reading is classified by
// its line count, line lengths and document code.
//
// Parse is strict: it normalizes case, blanks and '«', decodes every field
// (dates to ISO, names split at "<<", sex '<' as X, the German one-letter
// state D also as DEU) and evaluates every check (check digits with weights
// 7-3-1 including the composite and the TD1 long document number, calendar
// dates, ICAO state codes, character types). Record.Valid is the conjunction
// of Record.Checks; an expired document stays valid with Expired set.
//
// Read and ReadOCR repair OCR output. Each input line is brought to its
// layout length by adding or removing fillers in filler runs (or trimming
// junk at the ends); every position gets a list of candidate characters,
// from the recognizer's alternatives and confidences where given and from a
// static confusion table otherwise (O/0, I/1, B/8, S/5, Z/2, G/6, D/0, Q/0,
// L/1, K/<). A character that does not fit its field's type (a letter in a
// date, a digit in a name) must change; other changes are optional and
// limited per checked field. For every check digit a bounded search keeps
// the cheapest assignments of its field that satisfy it; the composite
// check then picks the cheapest consistent combination. Fields no check
// covers change only by type rules, state codes toward the ICAO list.
// Priors from the field structure (a letter among digits is a misread
// digit, names avoid three vowels or consonants in a row) rank the
// candidates; a repair is accepted only when it is clearly cheaper than any
// other valid reading, otherwise the record is returned with valid false
// and the failing check "unambiguous" (without OCR alternatives also when
// two readings with equally few edits satisfy a field's check digit). A
// letter guessed for a 0 or 1 in a name or document code no check digit
// covers (O, D or Q; I or L) must be singled out by the recognizer's
// alternatives, otherwise the best guess is returned with valid false and
// the failing check "names_unambiguous". Every change is listed in
// Record.Corrections. See README.md for the measured figures.
package mrz
